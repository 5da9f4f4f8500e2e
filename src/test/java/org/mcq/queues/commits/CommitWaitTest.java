package org.mcq.queues.commits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class CommitWaitTest {

    private static final long BATCH_NANOS = 300_000;
    /** A commit this short makes a gathering wait that is not met run out at once. */
    private static final long SHORT_COMMIT_NANOS = 1_000;

    /** The queue as the writer sees it: a fixed count of operations, and how often it was looked at. */
    private static final class Queue implements IntSupplier {
        final int size;
        int looks;

        Queue(int size) {
            this.size = size;
        }

        @Override
        public int getAsInt() {
            looks++;
            return size;
        }
    }

    private static int looksWhileWaiting(CommitWait wait, int queued) {
        Queue queue = new Queue(queued);
        wait.await(queue);
        return queue.looks;
    }

    @Test
    void aLoneClientNeverWaits() {
        for (CommitWait wait : new CommitWait[] {CommitWait.pairs(), CommitWait.gathering()}) {
            wait.written(1, 0, BATCH_NANOS, BATCH_NANOS);
            assertEquals(0, looksWhileWaiting(wait, 0));
        }
    }

    @Test
    void aPairWaitsForItsSecondOperation() {
        for (CommitWait wait : new CommitWait[] {CommitWait.pairs(), CommitWait.gathering()}) {
            wait.written(1, 1, BATCH_NANOS, BATCH_NANOS);
            assertEquals(1, looksWhileWaiting(wait, 1), "the second is there");
            assertEquals(0, looksWhileWaiting(wait, 0), "one wait per batch");
        }
    }

    @Test
    void onlyAGatheringWriterWaitsForManyAndOnlyWhileItsTrialSaysSo() {
        CommitWait pairs = CommitWait.pairs();
        pairs.written(20, 12, BATCH_NANOS, BATCH_NANOS);
        assertEquals(0, looksWhileWaiting(pairs, 0));

        CommitWait gathering = CommitWait.gathering();
        // the trial's first turn is without gathering: the first batch starts its clock, then its batches
        for (int batch = 0; batch <= GatheringTrial.TRIAL_BATCHES - 1; batch++) {
            gathering.written(20, 12, BATCH_NANOS, BATCH_NANOS);
            assertEquals(0, looksWhileWaiting(gathering, 0), "batch " + batch);
        }
        gathering.written(20, 12, BATCH_NANOS, BATCH_NANOS);
        // its second turn gathers: 32 expected, 90% of them is 28, the one taken and 27 queued
        assertEquals(1, looksWhileWaiting(gathering, 27), "all there: one look");
        assertEquals(0, looksWhileWaiting(gathering, 0), "one wait per batch");
        gathering.written(1, 1, BATCH_NANOS, BATCH_NANOS);
        assertEquals(1, looksWhileWaiting(gathering, 1), "a pair is waited for as before");
    }

    @Test
    void aGatheringWaitEndsAtTheCommitsLength() {
        CommitWait wait = CommitWait.gathering();
        for (int batch = 0; batch <= GatheringTrial.TRIAL_BATCHES; batch++) {
            wait.written(20, 12, SHORT_COMMIT_NANOS, SHORT_COMMIT_NANOS);
        }
        assertEquals(true, looksWhileWaiting(wait, 5) >= 1, "it waited for 27 with 5 there, and gave up at the deadline");
    }

    @Test
    void aRefusedBatchIsNotWaitedFor() {
        CommitWait wait = CommitWait.gathering();
        wait.written(20, 12, BATCH_NANOS, BATCH_NANOS);
        wait.refused();
        assertEquals(0, looksWhileWaiting(wait, 0));
    }
}
