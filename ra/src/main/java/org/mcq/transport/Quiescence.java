package org.mcq.transport;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets a listener stop in order: once stopping, connections run no new commands; the commands
 * running and the replies already under way (waiting for the disk) are written; only then are
 * connections closed. Counts the connections whose input is being worked on or whose replies are
 * under way: that is every read, so the count is an atomic and the monitor is only for the stop.
 */
final class Quiescence {

    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean stopping;

    boolean stopping() {
        return stopping;
    }

    /** A connection's input is worked on, or its replies wait (its input is held until they are out). */
    void waitBegins() {
        waiting.incrementAndGet();
    }

    void waitEnds() {
        // stop() sets the flag before it reads the count, so whichever of the two comes second sees the other
        if (waiting.decrementAndGet() == 0 && stopping) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Runs no new commands from now on; returns once no replies are under way, or at the timeout. */
    synchronized boolean stop(long timeout, TimeUnit unit) throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (waiting.get() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
