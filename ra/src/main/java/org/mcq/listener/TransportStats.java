package org.mcq.listener;

/** Connection-level counters kept by the transport, reported by {@code stats}. */
public interface TransportStats {

    /** A listener that is not there: every counter zero. */
    TransportStats NONE = new TransportStats() {
        @Override
        public long currentConnections() {
            return 0;
        }

        @Override
        public long totalConnections() {
            return 0;
        }

        @Override
        public long rejectedConnections() {
            return 0;
        }

        @Override
        public long outputStalls() {
            return 0;
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        public long bytesWritten() {
            return 0;
        }

        @Override
        public int workerThreads() {
            return 0;
        }

        @Override
        public long clientMemoryUsed() {
            return 0;
        }

        @Override
        public long clientMemoryLimit() {
            return 0;
        }

        @Override
        public long clientMemoryWaits() {
            return 0;
        }

        @Override
        public void reset() {
        }
    };

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
