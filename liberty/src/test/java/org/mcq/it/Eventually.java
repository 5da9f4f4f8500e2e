package org.mcq.it;

import java.time.Duration;

/** Waits for an observable condition of the server, polling it, up to a deadline. */
final class Eventually {

    /** A condition that may need I/O to check. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private static final long POLL_MILLIS = 100;

    private Eventually() {
    }

    /** Whether the condition held before the timeout; it is checked once more at the deadline. */
    static boolean holds(Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.holds()) {
                return true;
            }
            Thread.sleep(POLL_MILLIS); // between polls of the condition, not instead of one
        }
        return condition.holds();
    }
}
