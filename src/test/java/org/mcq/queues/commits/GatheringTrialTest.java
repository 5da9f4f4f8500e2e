package org.mcq.queues.commits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GatheringTrialTest {

    private static final long BATCH_NANOS = 1_000_000;

    private final GatheringTrial trial = new GatheringTrial();
    private long now = 1;

    /** Writes {@code batches} batches of {@code operations}, each taking {@code nanos}; yields how many gathered. */
    private int write(int batches, int operations, long nanos) {
        int gathered = 0;
        for (int batch = 0; batch < batches; batch++) {
            gathered += trial.gathers() ? 1 : 0;
            now += nanos;
            trial.written(operations, now);
        }
        return gathered;
    }

    @Test
    void gatheringThatWritesMorePerSecondIsKeptForTheDecidedTurnThenTriedAgain() {
        write(1, 10, BATCH_NANOS); // starts the clock
        assertEquals(0, write(GatheringTrial.TRIAL_BATCHES, 10, BATCH_NANOS), "the turn without");
        // gathering: twice the operations in 1.5 times the time, 1.33 times as many per second
        assertEquals(GatheringTrial.TRIAL_BATCHES, write(GatheringTrial.TRIAL_BATCHES, 20, 3 * BATCH_NANOS / 2));
        assertTrue(trial.gathers());
        assertEquals(GatheringTrial.DECIDED_BATCHES, write(GatheringTrial.DECIDED_BATCHES, 20, 3 * BATCH_NANOS / 2));
        assertFalse(trial.gathers(), "measured again, from the turn without");
    }

    @Test
    void gatheringThatOnlyMatchesIsNotKept() {
        write(1, 10, BATCH_NANOS);
        write(GatheringTrial.TRIAL_BATCHES, 10, BATCH_NANOS);
        // 1.02 times as many per second: within the margin, so its waits would be latency for nothing
        write(GatheringTrial.TRIAL_BATCHES, 20, 2 * BATCH_NANOS * 100 / 102);
        assertFalse(trial.gathers());
        assertEquals(0, write(GatheringTrial.DECIDED_BATCHES, 10, BATCH_NANOS));
        assertEquals(0, write(GatheringTrial.TRIAL_BATCHES, 10, BATCH_NANOS), "the next turn without");
        assertTrue(trial.gathers(), "then gathering is tried again");
    }

    @Test
    void gatheringThatWritesLessIsNotKept() {
        write(1, 10, BATCH_NANOS);
        write(GatheringTrial.TRIAL_BATCHES, 10, BATCH_NANOS);
        write(GatheringTrial.TRIAL_BATCHES, 12, 2 * BATCH_NANOS);
        assertFalse(trial.gathers());
    }

    @Test
    void anIdleWriterStartsTheTrialAgainFromItsTurnWithout() {
        write(1, 10, BATCH_NANOS);
        write(GatheringTrial.TRIAL_BATCHES, 10, BATCH_NANOS);
        write(GatheringTrial.TRIAL_BATCHES / 2, 20, BATCH_NANOS);
        assertTrue(trial.gathers(), "half way through the turn with");
        trial.idle(now);
        assertEquals(0, write(GatheringTrial.TRIAL_BATCHES, 10, BATCH_NANOS), "a whole turn without again");
        assertTrue(trial.gathers());
    }

    @Test
    void aDecidedTurnRunsOnThroughIdleness() {
        write(1, 10, BATCH_NANOS);
        write(GatheringTrial.TRIAL_BATCHES, 10, BATCH_NANOS);
        write(GatheringTrial.TRIAL_BATCHES, 20, BATCH_NANOS);
        assertTrue(trial.gathers());
        trial.idle(now);
        assertEquals(GatheringTrial.DECIDED_BATCHES, write(GatheringTrial.DECIDED_BATCHES, 20, BATCH_NANOS));
    }
}
