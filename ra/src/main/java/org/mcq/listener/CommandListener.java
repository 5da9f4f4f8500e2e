package org.mcq.listener;

import java.util.concurrent.CompletionStage;
import org.mcq.protocol.Command;
import org.mcq.protocol.Reply;

/**
 * The message listener interface of the resource adapter: a message-driven bean implementing it
 * receives every command decoded from a memcache text-protocol connection.
 *
 * <p>Commands of one connection are delivered one at a time, in the order they arrived; commands of
 * different connections are delivered concurrently, each on its own endpoint instance. Delivery
 * happens on the thread that read the command (a selector thread, or a continuation thread after a
 * reply that waited), so the listener must not block: a reply that has to wait (for a disk commit,
 * say) is returned as a stage completed later, on any thread. A connection's replies are written in
 * the order of its commands. The next command is delivered once that reply is complete, with one
 * exception: a pipelined run of {@code set}s, or of {@code get}/{@code gets}, is delivered without
 * waiting for the replies of the run (so their writes share a commit); a command of another kind
 * waits for the whole run. A {@code noreply} command's reply is discarded. {@code quit} and
 * malformed input never reach the listener: the transport handles them. A {@code get} that may
 * wait for a message ({@code t=}) runs alone: the commands after it are delivered once its reply is.
 * A reply too large to hold at once is a {@link Reply.Streamed}: the transport asks for its chunks
 * as the socket takes them, and delivers the next command once the last chunk is written.
 *
 * <p>Endpoint instances are pooled and serve any connection: what belongs to a connection is kept
 * by the listener keyed by the {@link ClientConnection} instance (one per connection, compared by
 * identity) and given back when {@link #onClose} says the connection is gone.
 */
public interface CommandListener {

    /**
     * Executes one command.
     *
     * @param command    the decoded command
     * @param connection the connection it came from: counters, and the memory budget for replies
     * @return the reply to send, now or later; never null, and never completed exceptionally
     */
    CompletionStage<Reply> onCommand(Command command, ClientConnection connection);

    /**
     * The connection is closed, by either side or by the transport stopping: no command of it is
     * delivered after this. Whatever the listener holds for it (a reliable read's message, a waiting
     * read) is to be given back. Delivered once per connection, on any thread; must not block.
     */
    void onClose(ClientConnection connection);

    /**
     * The client ended its input while replies of the connection were under way (its commands read
     * before the end are still delivered, and their replies written, before {@link #onClose}). A
     * client that closed the connection and one that only half-closed it look the same here, so the
     * listener ends the connection's reads that wait for a message, with none, and no read of it
     * waits from now on ({@link ClientConnection#inputEnded}): a message taken for a client that is
     * gone would be lost with its reply. Delivered at most once, on any thread; must not block.
     */
    void onInputEnd(ClientConnection connection);
}
