package org.mcq.it;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mcq.model.Mix;
import org.mcq.model.ModelRun;
import org.mcq.model.QueueModel;
import org.mcq.testkit.PostgresCluster;

/**
 * The queue semantics as a model, run against two real servers sharing one private PostgreSQL over
 * TCP: connections spread over both, every reply checked, either server stopped and started or
 * killed with SIGKILL between commands (the other gives a killed server's open reads back once its
 * heartbeat is old; the driver waits for that). {@code SharedModelTest} runs many seeds against the
 * same store in-process; this run adds the codec, the listener, Liberty, the container's data source
 * and a real process's death.
 *
 * <p>The seed is {@code -Dmcq.model.seed} if given, else taken from the clock; it is printed before
 * the first step, and a divergence reports it with the history.
 */
class SharedModelIT {

    private static final int MAX_OPEN = 3;
    private static final int CONNECTIONS_PER_SERVER = 2;

    @Test
    void twoServersWithRestartsAndKills() throws Exception {
        long seed = Long.getLong("mcq.model.seed", System.currentTimeMillis());
        int steps = Integer.getInteger("mcq.model.steps", 900);
        System.out.printf("SharedModelIT: seed %d, %d steps (replay: -Dmcq.model.seed=%d)%n", seed, steps, seed);
        long began = System.nanoTime();
        try (PostgresCluster database = PostgresCluster.create()) {
            Map<String, String> settings = new HashMap<>(database.settings());
            settings.put("MCQ_DB_TAKEOVER_S", "3");
            settings.put("MCQ_MAX_OPEN_READS", Integer.toString(MAX_OPEN));
            settings.put("MCQ_FANOUT", "true");
            LibertyServer first = LibertyServer.start("shared-model-0", settings);
            LibertyServer second;
            try {
                second = LibertyServer.start("shared-model-1", settings);
            } catch (RuntimeException | java.io.IOException e) {
                first.close();
                throw e;
            }
            // a weight of 1 in about 930: about one restart and one kill in 900 steps, on average, of either server
            Mix mix = Mix.commands().with(Mix.Kind.RESTART, 1).with(Mix.Kind.KILL, 1);
            ModelRun run;
            try (ServerTarget target = new ServerTarget(first, second)) {
                run = new ModelRun(target, new QueueModel(MAX_OPEN, false, true), seed, mix, CONNECTIONS_PER_SERVER);
                run.run(steps);
            }
            Map<Mix.Kind, Integer> counts = run.counts();
            System.out.printf("SharedModelIT: seed %d, %d steps, %d restarts, %d kills, %d disconnects, in %d s%n", seed,
                    steps, counts.getOrDefault(Mix.Kind.RESTART, 0), counts.getOrDefault(Mix.Kind.KILL, 0),
                    counts.getOrDefault(Mix.Kind.DISCONNECT, 0), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
        }
    }
}
