package org.mcq.transport;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.mcq.listener.TransportStats;

/** Live counters of one listener; cheap to update from many threads. */
final class ConnectionCounters implements TransportStats {

    private final AtomicLong current = new AtomicLong();
    private final LongAdder total = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder read = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final LongAdder outputStalls = new LongAdder();
    private final int workerThreads;
    private final ClientMemory memory;

    ConnectionCounters(int workerThreads, ClientMemory memory) {
        this.workerThreads = workerThreads;
        this.memory = memory;
    }

    /** Counts a new connection unless {@code max} are already open; returns whether it may stay. */
    boolean tryOpen(int max) {
        while (true) {
            long now = current.get();
            if (now >= max) {
                rejected.increment();
                return false;
            }
            if (current.compareAndSet(now, now + 1)) {
                total.increment();
                return true;
            }
        }
    }

    void closed() {
        current.decrementAndGet();
    }

    void read(long bytes) {
        read.add(bytes);
    }

    void written(long bytes) {
        written.add(bytes);
    }

    @Override
    public long currentConnections() {
        return current.get();
    }

    @Override
    public long totalConnections() {
        return total.sum();
    }

    @Override
    public long rejectedConnections() {
        return rejected.sum();
    }

    void outputStall() {
        outputStalls.increment();
    }

    @Override
    public long outputStalls() {
        return outputStalls.sum();
    }

    @Override
    public long bytesRead() {
        return read.sum();
    }

    @Override
    public long bytesWritten() {
        return written.sum();
    }

    @Override
    public int workerThreads() {
        return workerThreads;
    }

    @Override
    public long clientMemoryUsed() {
        return memory.used();
    }

    @Override
    public long clientMemoryLimit() {
        return memory.limit();
    }

    @Override
    public long clientMemoryWaits() {
        return memory.waits();
    }

    @Override
    public void reset() {
        read.reset();
        written.reset();
    }
}
