package org.mcq.transport;

import java.util.concurrent.TimeUnit;

/**
 * Lets a listener stop in order: once stopping, connections run no new commands; the replies
 * already under way (waiting for the disk) are written; only then are connections closed. Counts
 * the connections whose replies are under way.
 */
final class Quiescence {

    private volatile boolean stopping;
    private int waiting;

    boolean stopping() {
        return stopping;
    }

    /** A connection's replies wait (its read context is suspended). */
    synchronized void waitBegins() {
        waiting++;
    }

    synchronized void waitEnds() {
        if (--waiting == 0) {
            notifyAll();
        }
    }

    /** Runs no new commands from now on; returns once no replies are under way, or at the timeout. */
    synchronized boolean stop(long timeout, TimeUnit unit) throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (waiting > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
