package org.mcq.transport;

import org.mcq.listener.ClientConnection;
import org.mcq.listener.TransportStats;

/**
 * One UDP request, as the listener sees its connection: the counters, and the budget its values
 * are sent from, within what one reply may carry.
 */
final class UdpRequest implements ClientConnection {

    private final ConnectionMemory memory;
    private final ConnectionCounters counters;
    private final long maxValues;
    /** Bytes of values this request's reply was given. */
    private long reserved;

    UdpRequest(ClientMemory budget, ConnectionCounters counters, long maxValues) {
        this.memory = new ConnectionMemory(budget);
        this.counters = counters;
        this.maxValues = maxValues;
    }

    @Override
    public TransportStats transport() {
        return counters;
    }

    @Override
    public synchronized boolean reserveReply(int bytes) {
        if (reserved + bytes > maxValues || !memory.reserveReply(bytes)) {
            return false;
        }
        reserved += bytes;
        return true;
    }

    @Override
    public synchronized void releaseReply(int bytes) {
        reserved -= bytes;
        memory.release(bytes);
    }

    /** A datagram is all there is: nothing comes after it, so no read waits. */
    @Override
    public boolean inputEnded() {
        return true;
    }

    /** The reply is sent (or not): what it held goes back to the budget. */
    void close() {
        memory.close();
    }
}
