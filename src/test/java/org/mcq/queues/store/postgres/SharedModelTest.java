package org.mcq.queues.store.postgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcq.model.Mix;
import org.mcq.model.ModelRun;
import org.mcq.model.QueueModel;

/**
 * The queue semantics as a model, run against two servers of the shared store in this JVM on a
 * private PostgreSQL: connections spread over both, clean restarts and crashes of either between
 * commands. One seed replays with {@code -Dmcq.model.seed=N}; more with {@code -Dmcq.model.seeds=N}.
 */
class SharedModelTest {

    private static final int MAX_OPEN = 3;
    private static final int STEPS = Integer.getInteger("mcq.model.steps", 300);
    private static SharedEngine.Database database;

    @BeforeAll
    static void createDatabase() throws Exception {
        database = new SharedEngine.Database();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void twoServersWithRestartsAndCrashes() throws Exception {
        Mix mix = Mix.commands().with(Mix.Kind.RESTART, 3).with(Mix.Kind.KILL, 2);
        Long only = Long.getLong("mcq.model.seed");
        long first = only != null ? only : Long.getLong("mcq.model.first.seed", 2_000_001);
        int count = only != null ? 1 : Integer.getInteger("mcq.model.seeds", 40);
        long began = System.nanoTime();
        for (long seed = first; seed < first + count; seed++) {
            try (SharedEngine engine = new SharedEngine(database, 2, true, MAX_OPEN)) {
                new ModelRun(engine, new QueueModel(MAX_OPEN, false, true), seed, mix, 2).run(STEPS);
            }
        }
        System.out.printf("model on two shared-store servers: seeds %d..%d, %d steps each, in %d ms%n", first,
                first + count - 1, STEPS, (System.nanoTime() - began) / 1_000_000);
    }
}
