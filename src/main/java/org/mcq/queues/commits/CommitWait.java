package org.mcq.queues.commits;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Whether a sync writer that has taken an operation waits for more before it commits, so that one
 * forced write carries them all. The writer's thread alone uses it.
 *
 * <p><b>A pair.</b> Two clients at one connection each (a producer and a worker) otherwise take
 * turns: each one's next operation arrives while the other's commit is being forced, waits for it,
 * then for its own, two forced writes per operation. The writer waits when it expects exactly two
 * (the callers the last batch released, and the operations that queued through it): the other
 * caller is back within a round trip, and waiting for it for up to what a batch takes to write
 * costs the lone operation about that and saves the other a whole commit.
 *
 * <p><b>Many</b> ({@linkplain #gathering() where enabled}). With N clients that each wait for their
 * reply, a writer that commits whatever is queued splits them into two groups that take turns, each
 * arriving while the other's commit is forced: two forces for N operations. Waiting until
 * {@link #GATHERED_SHARE} of the expected operations are queued (the callers just released and
 * those that waited through the commit, together), for up to what a commit takes,
 * makes it one force and one wait. That pays when the clients come back sooner than a force takes,
 * and only then: on a fast disk, where the CPU is what limits, waiting idled the writer and cost
 * throughput (BENCHMARKS.md, issue 21, "Gathering a batch, reverted"). Which case holds is measured
 * ({@link GatheringTrial}). A lone client never waits (it expects one).
 */
public final class CommitWait {

    /**
     * The most an operation waits: the average it waits for follows batches of every size, and
     * after a burst of large ones, or on a very slow disk, it would make a missed wait cost more
     * than it saves.
     */
    static final long MAX_WAIT_NANOS = 2_000_000;
    /** Gathering waits for this share of the expected operations: a client may have gone idle. */
    static final double GATHERED_SHARE = 0.9;
    /** A gap between batches this long is the writer sitting idle, not waiting for a batch (see {@link GatheringTrial#idle}). */
    static final long IDLE_NANOS = 10_000_000;

    /** Null where the writer waits for pairs only. */
    private final GatheringTrial trial;
    private final LongSupplier clock;
    /** How many operations, counting the one taken, the writer waits for; 1 for none. */
    private int awaited = 1;
    private long waitUntil;
    /** What a batch takes to write, on average (small and large alike: it is the pair's wait). */
    private long batchNanosAverage;
    /** What a commit takes, its forced write, on average: the gathering wait's limit. */
    private long commitNanosAverage;
    /** When the last batch was written; 0 before the first. */
    private long lastWritten;

    /** @param clock {@link System#nanoTime}, or a test's */
    CommitWait(GatheringTrial trial, LongSupplier clock) {
        this.trial = trial;
        this.clock = clock;
    }

    /** Waits for the second of a pair only. */
    public static CommitWait pairs() {
        return new CommitWait(null, System::nanoTime);
    }

    /** Waits for the second of a pair, and gathers many where that pays. */
    public static CommitWait gathering() {
        return new CommitWait(new GatheringTrial(), System::nanoTime);
    }

    /**
     * A batch was written in {@code nanos}, its commit taking {@code commitNanos} of them:
     * {@code released} callers are being released (not those of operations carried from a refused
     * batch: released before), and {@code queued} operations waited through it, counted before
     * those callers are released, whose next operations are not among them.
     */
    public void written(int released, int queued, long nanos, long commitNanos) {
        if (nanos > 0) {
            batchNanosAverage = batchNanosAverage == 0 ? nanos : (7 * batchNanosAverage + nanos) / 8;
        }
        if (commitNanos > 0) {
            commitNanosAverage = commitNanosAverage == 0 ? commitNanos : (7 * commitNanosAverage + commitNanos) / 8;
        }
        int expected = released + queued;
        long now = clock.getAsLong();
        if (trial != null) {
            if (lastWritten != 0 && now - nanos - lastWritten > IDLE_NANOS) {
                trial.idle(now);
            } else {
                trial.written(released, now);
            }
        }
        lastWritten = now;
        if (expected == 2) {
            awaited = 2;
            waitUntil = now + Math.min(batchNanosAverage, MAX_WAIT_NANOS);
        } else if (expected > 2 && trial != null && trial.gathers()) {
            awaited = Math.max(2, (int) (expected * GATHERED_SHARE));
            waitUntil = now + Math.min(commitNanosAverage, MAX_WAIT_NANOS);
        } else {
            awaited = 1;
        }
    }

    /** A batch was refused: its callers are answered with an error, and none is waited for. */
    public void refused() {
        awaited = 1;
    }

    /**
     * One operation taken: waits until {@code queued} (the operations queued behind it) makes up
     * what is expected, for as long as {@link #written} allowed.
     */
    public void await(IntSupplier queued) {
        if (awaited < 2) {
            return;
        }
        int others = awaited - 1;
        Spin.until(() -> queued.getAsInt() >= others, waitUntil, clock);
        awaited = 1;
    }
}
