package org.mcq.queues.store.derby;

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
        return op(0);
    }

    /** An op that writes a body of {@code bytes}. */
    private static WriteOp op(int bytes) {
        return new WriteOp() {
            @Override
            void addTo(Batch batch) {
            }

            @Override
            WhenRefused whenRefused() {
                return WhenRefused.DEFER;
            }

            @Override
            int writtenBytes() {
                return bytes;
            }
        };
    }

    private static List<WriteOp> ops(int count, int bytes) {
        List<WriteOp> ops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ops.add(op(bytes));
        }
        return ops;
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
        intake.wrote(ops(1000, 0), TimeUnit.MILLISECONDS.toNanos(1000)); // 1 ms an op: a slow disk
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
        intake.wrote(ops(1, 0), TimeUnit.MILLISECONDS.toNanos(5));
        for (int i = 0; i < 250; i++) {
            intake.submit(op());
        }
        assertFalse(intake.backlogged());
    }

    @Test
    void theRateOfLargeBodiesIsNotTakenForTheRateOfSmallOps() {
        Intake intake = new Intake(false, LAG_MILLIS);
        intake.wrote(ops(400, 64 * 1024), TimeUnit.MILLISECONDS.toNanos(1000)); // 2.5 ms a 64 KiB insert
        for (int i = 0; i < 250; i++) {
            intake.submit(op());
        }
        assertFalse(intake.backlogged(), "250 removals cost what 2 large inserts do");
        for (int i = 0; i < 100; i++) {
            intake.submit(op(64 * 1024));
        }
        assertTrue(intake.backlogged(), "100 more 64 KiB inserts at 2.5 ms would be written too late");
    }
}
