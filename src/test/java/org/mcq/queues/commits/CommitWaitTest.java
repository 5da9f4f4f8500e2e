package org.mcq.queues.commits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class CommitWaitTest {

    private static final long BATCH_NANOS = 300_000;
    /** A commit this short makes a gathering wait that is not met run out at once. */
    private static final long SHORT_COMMIT_NANOS = 1_000;

    /** The queue as the writer sees it: a fixed count of operations, and how often it was looked at. */
    private static class Queue implements IntSupplier {
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
            assertEquals(2, looksWhileWaiting(wait, 1), "the second is there: a look before, and one at it");
            assertEquals(0, looksWhileWaiting(wait, 0), "one wait per batch");
        }
    }

    @Test
    void onlyAGatheringWriterWaitsForMany() {
        CommitWait pairs = CommitWait.pairs();
        pairs.written(20, 12, BATCH_NANOS, BATCH_NANOS);
        assertEquals(0, looksWhileWaiting(pairs, 0));

        CommitWait gathering = CommitWait.gathering();
        gathering.written(20, 12, BATCH_NANOS, BATCH_NANOS);
        // 32 expected, 90% of them is 28: the one taken and 27 queued
        assertEquals(2, looksWhileWaiting(gathering, 27), "all there: a look before, and one at them");
    }

    @Test
    void aGatheringWaitThatRunsOutRestsBeforeTheNextOne() {
        CommitWait wait = CommitWait.gathering();
        wait.written(20, 12, SHORT_COMMIT_NANOS, SHORT_COMMIT_NANOS);
        int looks = looksWhileWaiting(wait, 5);
        assertEquals(true, looks >= 1, "it waited, and ran out: 6 of 28, none come");
        for (int batch = 0; batch < CommitWait.RESTING_BATCHES; batch++) {
            wait.written(20, 12, SHORT_COMMIT_NANOS, SHORT_COMMIT_NANOS);
            assertEquals(0, looksWhileWaiting(wait, 5), "resting, batch " + batch);
        }
        wait.written(20, 12, SHORT_COMMIT_NANOS, SHORT_COMMIT_NANOS);
        assertEquals(2, looksWhileWaiting(wait, 27), "gathering again, and met at once");
        wait.written(20, 12, SHORT_COMMIT_NANOS, SHORT_COMMIT_NANOS);
        assertEquals(2, looksWhileWaiting(wait, 27), "a met wait does not rest");
    }

    @Test
    void aWaitThatRunsOutWithMostOfItsOperationsComeDoesNotRest() {
        CommitWait wait = CommitWait.gathering();
        wait.written(20, 12, SHORT_COMMIT_NANOS, SHORT_COMMIT_NANOS);
        // 27 awaited behind the one taken, 10 queued: 17 missing, 9 of them come during the wait
        Queue arriving = new Queue(10) {
            @Override
            public int getAsInt() {
                looks++;
                return looks == 1 ? 10 : 19; // 10 before the wait, 19 from then on
            }
        };
        wait.await(arriving);
        wait.written(20, 12, SHORT_COMMIT_NANOS, SHORT_COMMIT_NANOS);
        assertEquals(2, looksWhileWaiting(wait, 27), "it waits again");
    }

    @Test
    void pairsStillWaitWhileGatheringRests() {
        CommitWait wait = CommitWait.gathering();
        wait.written(20, 12, SHORT_COMMIT_NANOS, SHORT_COMMIT_NANOS);
        looksWhileWaiting(wait, 0);
        wait.written(1, 1, BATCH_NANOS, BATCH_NANOS);
        assertEquals(2, looksWhileWaiting(wait, 1));
    }

    @Test
    void aRefusedBatchIsNotWaitedFor() {
        CommitWait wait = CommitWait.gathering();
        wait.written(20, 12, BATCH_NANOS, BATCH_NANOS);
        wait.refused();
        assertEquals(0, looksWhileWaiting(wait, 0));
    }
}
