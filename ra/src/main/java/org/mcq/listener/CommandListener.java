package org.mcq.listener;

import org.mcq.protocol.Command;
import org.mcq.protocol.Reply;

/**
 * The message listener interface of the resource adapter: a message-driven bean implementing it
 * receives every command decoded from a memcache text-protocol connection.
 *
 * <p>Commands of one connection are delivered one at a time, in the order they arrived; commands of
 * different connections are delivered concurrently, each on its own endpoint instance. The reply is
 * written back before the connection's next command is delivered, unless the command carries
 * {@code noreply}, in which case it is discarded. {@code quit} and malformed input never reach the
 * listener: the transport handles them.
 */
public interface CommandListener {

    /**
     * Executes one command.
     *
     * @param command   the decoded command
     * @param transport counters of the listening transport, for {@code stats}
     * @return the reply to send; never null
     */
    Reply onCommand(Command command, TransportStats transport);
}
