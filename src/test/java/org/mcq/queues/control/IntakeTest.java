package org.mcq.queues.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The no-sync backlog bound is a bound in time: how old the oldest unwritten op is, or will be. */
class IntakeTest {

    private static final long LAG_MILLIS = 200;

    private static WriteOp op() {
        return new WriteOp() {
            @Override
            void addTo(Batch batch) {
            }
        };
    }

    private static long millisAgo(long millis) {
        return System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void anEmptyOrFreshBacklogLetsCallersGoOn() {
        Intake intake = new Intake(false, LAG_MILLIS);
        assertFalse(intake.backlogged());
        intake.submit(op());
        assertFalse(intake.backlogged());
    }

    @Test
    void callersWaitOnceTheOldestQueuedOpIsOlderThanTheLimit() {
        Intake intake = new Intake(false, LAG_MILLIS);
        WriteOp old = op();
        intake.submit(old);
        intake.submit(op());
        old.submittedAt = millisAgo(LAG_MILLIS + 50);
        assertTrue(intake.backlogged());
    }

    @Test
    void anOpTheWriterHoldsCountsUntilItIsWritten() {
        Intake intake = new Intake(false, LAG_MILLIS);
        WriteOp old = op();
        intake.submit(old);
        List<WriteOp> held = new ArrayList<>();
        intake.drainTo(held, 10);
        old.submittedAt = millisAgo(LAG_MILLIS + 50);
        intake.held(held);
        assertTrue(intake.backlogged(), "the queue is empty, but the writer has not written what it took");
        held.clear();
        intake.held(held);
        assertFalse(intake.backlogged());
    }

    @Test
    void aBacklogThatWouldTakeTooLongToWriteMakesCallersWaitEarly() {
        Intake intake = new Intake(false, LAG_MILLIS);
        intake.wrote(1000, TimeUnit.MILLISECONDS.toNanos(1000)); // 1 ms an op: a slow disk
        for (int i = 0; i < 100; i++) {
            intake.submit(op());
        }
        assertFalse(intake.backlogged(), "100 ops at 1 ms: written within the limit");
        for (int i = 0; i < 150; i++) {
            intake.submit(op());
        }
        assertTrue(intake.backlogged(), "250 ops at 1 ms would be written too late");
    }

    @Test
    void smallBatchesDoNotSetTheRateTheirFixedCostWouldOverstate() {
        Intake intake = new Intake(false, LAG_MILLIS);
        intake.wrote(1, TimeUnit.MILLISECONDS.toNanos(5));
        for (int i = 0; i < 250; i++) {
            intake.submit(op());
        }
        assertFalse(intake.backlogged());
    }
}
