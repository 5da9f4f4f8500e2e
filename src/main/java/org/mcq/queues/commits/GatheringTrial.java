package org.mcq.queues.commits;

/**
 * Whether a writer's gathering ({@link CommitWait}) pays, measured rather than guessed: whether the
 * clients come back sooner than a force takes depends on the disk, the CPU's load and the clients,
 * none of which the writer sees. So it takes turns: {@link #TRIAL_BATCHES} batches without gathering,
 * as many with it, then the better of the two by operations written per second for the next
 * {@link #DECIDED_BATCHES}, and again. Gathering must do {@link #MARGIN} better: where it only
 * matches, its waits are latency for nothing. With clients that each wait for their reply, more
 * written per second is shorter turns for each of them. The writer's thread alone uses it.
 */
final class GatheringTrial {

    static final int TRIAL_BATCHES = 128;
    static final int DECIDED_BATCHES = 1024;
    static final double MARGIN = 1.05;

    private enum Phase { WITHOUT, WITH, DECIDED }

    private Phase phase = Phase.WITHOUT;
    private boolean decided;
    private int batchesLeft = TRIAL_BATCHES;
    /** When the phase began ({@link System#nanoTime}); its first batch was written after it. */
    private long began;
    private boolean started;
    private long operations;
    private double withoutRate;

    boolean gathers() {
        return phase == Phase.WITH || phase == Phase.DECIDED && decided;
    }

    /** A batch of {@code written} operations was written, ending at {@code now}. */
    void written(int written, long now) {
        if (!started) { // the first batch ever: what came before it is not a phase's time
            started = true;
            began = now;
            return;
        }
        operations += written;
        if (--batchesLeft > 0) {
            return;
        }
        double rate = operations / (double) Math.max(1, now - began);
        switch (phase) {
            case WITHOUT -> {
                withoutRate = rate;
                next(Phase.WITH, TRIAL_BATCHES, now);
            }
            case WITH -> {
                decided = rate > withoutRate * MARGIN;
                next(Phase.DECIDED, DECIDED_BATCHES, now);
            }
            case DECIDED -> next(Phase.WITHOUT, TRIAL_BATCHES, now);
        }
    }

    /**
     * The writer sat idle before the batch that ended at {@code now} (no work came, or it paused
     * after a refused batch): a turn's rate would count the idleness, so the trial starts again
     * from its turn without, which is also where an intermittent load that never lets a turn end
     * keeps the writer. A decided turn runs on.
     */
    void idle(long now) {
        if (phase != Phase.DECIDED) {
            next(Phase.WITHOUT, TRIAL_BATCHES, now);
        }
    }

    private void next(Phase phase, int batches, long now) {
        this.phase = phase;
        batchesLeft = batches;
        began = now;
        operations = 0;
    }
}
