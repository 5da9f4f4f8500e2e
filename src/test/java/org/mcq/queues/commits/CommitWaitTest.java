package org.mcq.queues.commits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class CommitWaitTest {

    private static final long BATCH_NANOS = 300_000;
    private static final long TICK_NANOS = 100_000;

    /** The writer's clock: it moves when the test moves it, and by {@code tick} at each reading. */
    private static final class Clock implements LongSupplier {
        long now = 1_000_000_000;
        long tick;

        @Override
        public long getAsLong() {
            now += tick;
            return now;
        }
    }

    /** The queue as the writer sees it: its count at each look (the last one from then on), and how often it was looked at. */
    private static final class Queue implements IntSupplier {
        final int[] sizes;
        int looks;

        Queue(int... sizes) {
            this.sizes = sizes;
        }

        @Override
        public int getAsInt() {
            return sizes[Math.min(looks++, sizes.length - 1)];
        }
    }

    private final Clock clock = new Clock();

    private static int looksWhileWaiting(CommitWait wait, int... queued) {
        Queue queue = new Queue(queued);
        wait.await(queue);
        return queue.looks;
    }

    private CommitWait pairs() {
        return new CommitWait(null, clock);
    }

    /** A gathering writer past its trial's first turn (without gathering), in its second (with). */
    private CommitWait gatheringInItsTrialsSecondTurn(long commitNanos) {
        CommitWait gathering = new CommitWait(new GatheringTrial(), clock);
        // the first batch starts the trial's clock, then come its turn's batches
        for (int batch = 0; batch <= GatheringTrial.TRIAL_BATCHES - 1; batch++) {
            gathering.written(20, 12, BATCH_NANOS, commitNanos);
            assertEquals(0, looksWhileWaiting(gathering, 0), "the turn without, batch " + batch);
        }
        return gathering;
    }

    @Test
    void aLoneClientNeverWaits() {
        for (CommitWait wait : new CommitWait[] {pairs(), gatheringInItsTrialsSecondTurn(BATCH_NANOS)}) {
            wait.written(1, 0, BATCH_NANOS, BATCH_NANOS);
            assertEquals(0, looksWhileWaiting(wait, 0));
        }
    }

    @Test
    void aPairWaitsUntilItsSecondOperationIsQueued() {
        for (CommitWait wait : new CommitWait[] {pairs(), gatheringInItsTrialsSecondTurn(BATCH_NANOS)}) {
            wait.written(1, 1, BATCH_NANOS, BATCH_NANOS);
            assertEquals(3, looksWhileWaiting(wait, 0, 0, 1), "not there, not there, there");
            assertEquals(0, looksWhileWaiting(wait, 0), "one wait per batch");
        }
    }

    @Test
    void onlyAGatheringWriterWaitsForManyAndOnlyWhileItsTrialSaysSo() {
        CommitWait pairs = pairs();
        pairs.written(20, 12, BATCH_NANOS, BATCH_NANOS);
        assertEquals(0, looksWhileWaiting(pairs, 0));

        CommitWait gathering = gatheringInItsTrialsSecondTurn(BATCH_NANOS);
        gathering.written(20, 12, BATCH_NANOS, BATCH_NANOS);
        // 32 expected, 90% of them is 28: the one taken and 27 queued
        assertEquals(3, looksWhileWaiting(gathering, 12, 26, 27), "12, then 26, then 27 queued");
        assertEquals(0, looksWhileWaiting(gathering, 0), "one wait per batch");
    }

    @Test
    void aGatheringWaitEndsAfterWhatACommitTakesAndTwoMillisecondsAtMost() {
        CommitWait wait = gatheringInItsTrialsSecondTurn(500_000);
        clock.tick = TICK_NANOS;
        wait.written(20, 12, BATCH_NANOS, 500_000);
        assertEquals(5, looksWhileWaiting(wait, 5), "a look every 100 µs until 500 µs passed");

        CommitWait capped = gatheringInItsTrialsSecondTurn(5_000_000);
        capped.written(20, 12, BATCH_NANOS, 5_000_000);
        assertEquals(20, looksWhileWaiting(capped, 5), "a look every 100 µs until 2 ms passed");
    }

    @Test
    void aWriterThatSatIdleStartsItsTrialAgainWithoutGathering() {
        CommitWait wait = gatheringInItsTrialsSecondTurn(BATCH_NANOS);
        wait.written(20, 12, BATCH_NANOS, BATCH_NANOS);
        assertEquals(1, looksWhileWaiting(wait, 27), "gathering");
        clock.now += 2 * CommitWait.IDLE_NANOS;
        wait.written(20, 12, BATCH_NANOS, BATCH_NANOS);
        assertEquals(0, looksWhileWaiting(wait, 0), "idle before this batch: the turn without again");
    }

    @Test
    void aRefusedBatchIsNotWaitedFor() {
        for (CommitWait wait : new CommitWait[] {pairs(), gatheringInItsTrialsSecondTurn(BATCH_NANOS)}) {
            wait.written(1, 1, BATCH_NANOS, BATCH_NANOS);
            wait.refused();
            assertEquals(0, looksWhileWaiting(wait, 0));
        }
    }
}
