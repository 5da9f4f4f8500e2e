package org.mcq.listener;

/**
 * The connection a command came from, as the listener sees it: the transport's counters, and the
 * memory budget its replies are sent from.
 *
 * <p>Memory: what a reply carries beyond a few lines (the bodies of {@code VALUE}s) is reserved
 * before the listener takes it, so a burst of large replies cannot exhaust the heap. The transport
 * releases the reservation once the reply is written (or the connection is gone); a listener that
 * reserved for a value it then does not send gives it back itself.
 */
public interface ClientConnection {

    /** Counters of the listening transport, for {@code stats}. */
    TransportStats transport();

    /**
     * Reserves memory for a data block about to go into this connection's reply; false when the
     * budget has no room now (the listener should not take the value).
     */
    boolean reserveReply(int bytes);

    /** Gives back a reservation whose value did not go into a reply. */
    void releaseReply(int bytes);

    /**
     * Whether the client has ended its input (closed the connection, or half-closed it): no command
     * comes after those already read, and a read should not wait for a message (see
     * {@link CommandListener#onInputEnd}).
     */
    boolean inputEnded();
}
