package org.mcq.queues.commits;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Polls a condition on a core until it holds or a deadline passes. Waking a sleeping thread costs
 * tens of microseconds on a virtual machine, about what a commit costs; a client that sends its
 * next command once it has its reply is back within a round trip, so a writer that polls that long
 * keeps the wake-up off its path.
 */
public final class Spin {

    private Spin() {
    }

    /** Whether {@code condition} held before {@code deadline} ({@link System#nanoTime}). */
    public static boolean until(BooleanSupplier condition, long deadline) {
        return until(condition, deadline, System::nanoTime);
    }

    /** As {@link #until(BooleanSupplier, long)}, by {@code clock} (tests give their own). */
    static boolean until(BooleanSupplier condition, long deadline, LongSupplier clock) {
        while (!condition.getAsBoolean()) {
            if (clock.getAsLong() - deadline >= 0) {
                return false;
            }
            Thread.yield(); // lets the selectors and clients run on a busy machine; returns at once on an idle one
        }
        return true;
    }
}
