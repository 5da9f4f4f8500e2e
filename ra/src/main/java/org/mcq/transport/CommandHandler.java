package org.mcq.transport;

import java.util.concurrent.CompletionStage;
import org.mcq.listener.ClientConnection;
import org.mcq.protocol.Command;
import org.mcq.protocol.Reply;

/**
 * Executes the commands a connection sends, as {@link org.mcq.listener.CommandListener} describes:
 * one command of a connection at a time, on the thread that read it (or that carries on after a
 * wait); must not block, and returns a stage for a reply that has to wait.
 */
public interface CommandHandler {

    CompletionStage<Reply> handle(Command command, ClientConnection connection);

    /** The connection is gone: no more commands come from it (what it held may be given back). */
    void closed(ClientConnection connection);

    /** The client ended its input while replies were under way (see {@link org.mcq.listener.CommandListener#onInputEnd}). */
    void inputEnded(ClientConnection connection);
}
