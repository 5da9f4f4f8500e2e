package org.mcq.queues.store.derby;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcq.model.Mix;
import org.mcq.model.ModelRun;
import org.mcq.model.QueueModel;

/**
 * The queue semantics as a model, run against the Derby store's engine in this JVM: many seeds,
 * each a few hundred commands over three connections with clean restarts and crashes between
 * commands. One seed replays with {@code -Dmcq.model.seed=N}; more with {@code -Dmcq.model.seeds=N}.
 */
class DerbyModelTest {

    private static final int MAX_OPEN = 3;
    private static final int STEPS = Integer.getInteger("mcq.model.steps", 300);
    private static DerbyEngine.Database database;

    @BeforeAll
    static void createDatabase() {
        database = new DerbyEngine.Database("model");
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    /** Sync mode: every reply after the commit, so a crash between commands is exact. */
    @Test
    void syncModeWithRestartsAndCrashes() throws Exception {
        run(true, Mix.commands().with(Mix.Kind.RESTART, 4).with(Mix.Kind.KILL, 4), Integer.getInteger("mcq.model.seeds", 400));
    }

    /** No-sync mode: effects at once, written within the flush interval; clean restarts write everything. */
    @Test
    void noSyncModeWithRestarts() throws Exception {
        run(false, Mix.commands().with(Mix.Kind.RESTART, 6), Integer.getInteger("mcq.model.seeds", 400));
    }

    /**
     * Counters written with every batch: an empty queue leaves memory as soon as it is written, and is
     * made again from its record by the next command that needs it, all the time (sync mode, crashes).
     */
    @Test
    void syncModeWithEmptyQueuesPutAsideAtOnce() throws Exception {
        run(true, Mix.commands().with(Mix.Kind.RESTART, 4).with(Mix.Kind.KILL, 4),
                Integer.getInteger("mcq.model.seeds", 400) / 2, 1, 2_000_001);
    }

    /** The same in no-sync mode, where drops and sets take effect before they are written. */
    @Test
    void noSyncModeWithEmptyQueuesPutAsideAtOnce() throws Exception {
        run(false, Mix.commands().with(Mix.Kind.RESTART, 6), Integer.getInteger("mcq.model.seeds", 400) / 2, 1,
                3_000_001);
    }

    private static void run(boolean sync, Mix mix, int seeds) throws Exception {
        run(sync, mix, seeds, 1000, sync ? 1 : 1_000_001);
    }

    private static void run(boolean sync, Mix mix, int seeds, long countersMillis, long firstSeed) throws Exception {
        // a small body budget: most bodies are read back from the database, as after a restart
        QueueSet.Settings settings = new QueueSet.Settings(sync, 5, 64 * 1024, countersMillis, 0, false, 0, true);
        Long only = Long.getLong("mcq.model.seed");
        long first = only != null ? only : Long.getLong("mcq.model.first.seed", firstSeed);
        int count = only != null ? 1 : seeds;
        long began = System.nanoTime();
        for (long seed = first; seed < first + count; seed++) {
            try (DerbyEngine engine = new DerbyEngine(database, settings, MAX_OPEN)) {
                new ModelRun(engine, new QueueModel(MAX_OPEN, true, true), seed, mix, 3).run(STEPS);
            }
        }
        System.out.printf("model on the Derby engine, %s mode, counters every %d ms: seeds %d..%d, %d steps each, in %d ms%n",
                sync ? "sync" : "no-sync", countersMillis, first, first + count - 1, STEPS,
                (System.nanoTime() - began) / 1_000_000);
    }
}
