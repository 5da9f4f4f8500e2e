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
 * happens on the thread that read the command, so the listener must not block: a reply that has to
 * wait (for a disk commit, say) is returned as a stage completed later, on any thread. The
 * connection's next command is delivered only after that reply is written (unless the command
 * carries {@code noreply}, whose reply is discarded). {@code quit} and malformed input never reach
 * the listener: the transport handles them.
 */
public interface CommandListener {

    /**
     * Executes one command.
     *
     * @param command   the decoded command
     * @param transport counters of the listening transport, for {@code stats}
     * @return the reply to send, now or later; never null, and never completed exceptionally
     */
    CompletionStage<Reply> onCommand(Command command, TransportStats transport);
}
