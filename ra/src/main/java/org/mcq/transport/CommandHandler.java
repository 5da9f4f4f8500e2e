package org.mcq.transport;

import java.util.concurrent.CompletionStage;
import org.mcq.listener.TransportStats;
import org.mcq.protocol.Command;
import org.mcq.protocol.Reply;

/**
 * Executes the commands a connection sends: called on the thread that read them, one command of a
 * connection at a time; must not block, and returns a stage for a reply that has to wait.
 */
@FunctionalInterface
public interface CommandHandler {

    CompletionStage<Reply> handle(Command command, TransportStats transport);
}
