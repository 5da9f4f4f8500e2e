package org.mcq.queues.commits;

import java.util.function.BooleanSupplier;

/**
 * Whether a sync writer that has taken a lone operation waits for a second one, so that one commit
 * carries both. Two clients at one connection each (a producer and a worker) otherwise take turns:
 * each one's next operation arrives while the other's commit is being forced, waits for it, then
 * for its own, two forced writes per operation. The writer waits only when it expects exactly two
 * (the callers the last batch released, and the operations that queued through it): the other
 * caller is back within a round trip, and waiting for it for up to what a batch takes to write
 * costs the lone operation about that and saves the other a whole commit. With more clients the
 * commits already carry several, and waiting for them cost throughput (BENCHMARKS.md, issue 21
 * target 2). The writer's thread alone uses it.
 */
public final class PairedCommits {

    /**
     * The most a lone operation waits: the average it waits for follows batches of every size, and
     * after a burst of large ones, or on a very slow disk, it would make a missed pairing cost more
     * than the pairing saves.
     */
    static final long MAX_WAIT_NANOS = 2_000_000;

    private boolean expectsTwo;
    private long waitUntil;
    /** What a batch takes to write, on average (small and large alike: it is the wait's measure). */
    private long batchNanosAverage;

    /**
     * A batch was written in {@code nanos}: {@code released} callers are being released (not those
     * of operations carried from a refused batch: released before), and {@code queued} operations
     * waited through it, counted before those callers are released, whose next operations are not
     * among them.
     */
    public void written(int released, int queued, long nanos) {
        expectsTwo = released + queued == 2;
        if (nanos > 0) {
            batchNanosAverage = batchNanosAverage == 0 ? nanos : (7 * batchNanosAverage + nanos) / 8;
        }
        waitUntil = System.nanoTime() + Math.min(batchNanosAverage, MAX_WAIT_NANOS);
    }

    /** A batch was refused: its callers are answered with an error, and none is waited for. */
    public void refused() {
        expectsTwo = false;
    }

    /**
     * One operation taken and nothing else queued: waits until {@code queued} holds, when a second
     * operation is expected, for up to what a batch takes to write.
     */
    public void awaitSecond(BooleanSupplier queued) {
        if (expectsTwo) {
            Spin.until(queued, waitUntil);
        }
    }
}
