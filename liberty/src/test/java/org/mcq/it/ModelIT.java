package org.mcq.it;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mcq.model.Mix;
import org.mcq.model.ModelRun;
import org.mcq.model.QueueModel;

/**
 * The queue semantics as a model (the testkit's {@link QueueModel} and {@link ModelRun}), run against
 * the real server over TCP: one seed per mode, every reply checked, the server stopped and started,
 * and in sync mode killed with SIGKILL, between commands. {@code DerbyModelTest} runs 400 seeds a
 * mode against the same engine in-process; this run adds the codec, the listener, Liberty and a
 * real process's death.
 *
 * <p>The seed is {@code -Dmcq.model.seed} if given, else taken from the clock, so each run explores
 * new steps; it is printed before the first step, and a divergence reports it with the history.
 * Steps: {@code -Dmcq.model.steps} (both modes).
 */
class ModelIT {

    /** Open reads per connection and queue: small, so the model reaches the refusal often. */
    private static final int MAX_OPEN = 3;
    private static final int CONNECTIONS = 3;
    /**
     * With the command weights of {@link Mix#commands()} (928 in all), a weight of 1 is one step in
     * about 930: some 3 in 1,400 steps. Steps take milliseconds; the time goes to the starts, 10–25 s
     * each on 2 shared cores: these keep the class at about 2.5 minutes, crashes getting the most
     * (CI's whole run is kept under 30 minutes; each run draws a new seed).
     */
    private static final int RESTART_WEIGHT = 1;
    private static final int KILL_WEIGHT = 2;

    /** Sync mode: every reply after the forced commit, so the model is exact across kills too. */
    @Test
    void syncModeWithRestartsAndKills() throws Exception {
        run(true, Mix.commands().with(Mix.Kind.RESTART, RESTART_WEIGHT).with(Mix.Kind.KILL, KILL_WEIGHT), 1_400);
    }

    /** No-sync mode: clean restarts only, since a kill may lose the last flush interval's writes. */
    @Test
    void noSyncModeWithCleanRestarts() throws Exception {
        run(false, Mix.commands().with(Mix.Kind.RESTART, RESTART_WEIGHT), 1_000);
    }

    private static void run(boolean sync, Mix mix, int defaultSteps) throws Exception {
        String mode = sync ? "sync" : "no-sync";
        long seed = Long.getLong("mcq.model.seed", System.currentTimeMillis());
        int steps = Integer.getInteger("mcq.model.steps", defaultSteps);
        System.out.printf("ModelIT %s mode: seed %d, %d steps (replay: -Dmcq.model.seed=%d)%n", mode, seed, steps, seed);
        // no body budget: every body but an empty one is read back from the database, the path a restart takes
        Map<String, String> settings = Map.of("MCQ_SYNC", Boolean.toString(sync),
                "MCQ_MAX_OPEN_READS", Integer.toString(MAX_OPEN), "MCQ_MEMORY_BUDGET_MB", "0", "MCQ_FANOUT", "true");
        long began = System.nanoTime();
        LibertyServer server = LibertyServer.start("model-" + mode, settings);
        ServerTarget target = new ServerTarget(server);
        ModelRun run = new ModelRun(target, new QueueModel(MAX_OPEN, true, true), seed, mix, CONNECTIONS);
        try (target) {
            run.run(steps);
        } catch (AssertionError divergence) {
            throw new AssertionError(divergence.getMessage() + "server directory: " + server.serverDir(), divergence);
        } catch (Exception failure) {
            throw new AssertionError("ModelIT " + mode + " mode, seed " + seed + " (replay: -Dmcq.model.seed=" + seed
                    + "), steps so far " + run.counts() + ", server directory " + server.serverDir() + ": " + failure,
                    failure);
        }
        Map<Mix.Kind, Integer> counts = run.counts();
        System.out.printf("ModelIT %s mode: seed %d, %d steps, %d restarts, %d kills, %d disconnects, in %d s%n", mode,
                seed, steps, counts.getOrDefault(Mix.Kind.RESTART, 0), counts.getOrDefault(Mix.Kind.KILL, 0),
                counts.getOrDefault(Mix.Kind.DISCONNECT, 0), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
    }
}
