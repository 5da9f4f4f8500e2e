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

    /** Threads that execute commands. */
    int workerThreads();

    /** Forgets bytes read and written (for {@code stats reset}). */
    void reset();
}
