package org.mcq.transport;

import org.mcq.listener.TransportStats;
import org.mcq.protocol.Command;
import org.mcq.protocol.Reply;

/** Executes the commands a connection sends; called on a worker thread, one command of a connection at a time. */
@FunctionalInterface
public interface CommandHandler {

    Reply handle(Command command, TransportStats transport);
}
