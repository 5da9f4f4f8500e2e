package org.mcq.listener;

/** Connection-level counters kept by the transport, reported by {@code stats}. */
public interface TransportStats {

    /** Connections open now. */
    long currentConnections();

    /** Connections accepted since the listener started. */
    long totalConnections();

    /** Connections refused because {@code maxConnections} were already open. */
    long rejectedConnections();

    /** Times a connection's commands stopped being read because its replies were not being read. */
    long outputStalls();

    /** Bytes received from clients. */
    long bytesRead();

    /** Bytes sent to clients. */
    long bytesWritten();

    /** Threads that carry on with a connection's commands after a reply that waited (see CommandListener). */
    int workerThreads();

    /** Bytes clients make the server hold now: data blocks, reply bodies, unsent output. */
    long clientMemoryUsed();

    /** The budget for {@link #clientMemoryUsed()}. */
    long clientMemoryLimit();

    /** Times a connection stopped being read to wait for room in the budget. */
    long clientMemoryWaits();

    /** Forgets bytes read and written (for {@code stats reset}). */
    void reset();
}
