package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/mcq-start}, the README's way to start the server in the background, when the start
 * fails: it exits non-zero naming the reason the server gives, and stops the server; when another
 * program holds the port, it says so and waits until the server has taken the port over. (Its start
 * that succeeds at once, UnprivilegedUserIT runs as another user.)
 */
class StartScriptIT {

    private static final Path SCRIPT = Path.of("../bin/mcq-start").toAbsolutePath();

    @Test
    void aStartThatFailsExitsNonZeroNamingTheCauseAndLeavesNothingRunning() throws Exception {
        LibertyServer server = LibertyServer.prepare("start-script-bad", Map.of("MCQ_SYNC", "maybe"));
        try {
            Command started = run(server, SCRIPT.toString());
            assertEquals(2, started.exit(), started.output());
            assertTrue(started.output().contains(
                    "mcq-start: mcq cannot start, a setting is wrong: MCQ_SYNC=maybe: must be true or false"), started.output());
            Command status = run(server, LibertyServer.wlp().resolve("bin/server").toString(), "status", "mcq");
            assertTrue(status.exit() != 0, "stopped again: " + status.output());
        } finally {
            run(server, LibertyServer.wlp().resolve("bin/server").toString(), "stop", "mcq");
        }
    }

    @Test
    void aPortAnotherProgramHoldsIsWaitedForAndTakenOver() throws Exception {
        int port = LibertyServer.freePort();
        Process memcached = new ProcessBuilder("memcached", "-l", "127.0.0.1", "-p", Integer.toString(port), "-U", "0",
                "-u", "nobody").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        LibertyServer server = LibertyServer.prepare("start-script-port", Map.of("MCQ_PORT", Integer.toString(port)));
        Path output = Files.createTempFile("mcq-start", ".out");
        try {
            Map<String, String> environment = new HashMap<>(server.environment());
            environment.put("WLP_DIR", LibertyServer.wlp().toString());
            ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process start = builder.start();
            String waiting = "mcq-start: waiting: cannot listen on 127.0.0.1:" + port
                    + ": Address already in use; trying again every 2 s";
            assertTrue(Eventually.holds(Duration.ofSeconds(240), () -> Files.readString(output).contains(waiting)),
                    Files.readString(output));
            assertTrue(start.isAlive(), "still waiting: " + Files.readString(output));

            memcached.destroy();
            memcached.waitFor();
            assertTrue(start.waitFor(60, TimeUnit.SECONDS), Files.readString(output));
            assertEquals(0, start.exitValue(), Files.readString(output));
            String said = Files.readString(output);
            assertTrue(said.contains("mcq-start: serving memcache on 127.0.0.1:" + port), said);
            assertEquals(1, said.split("mcq-start: waiting:", -1).length - 1, "said once: " + said);
        } finally {
            memcached.destroy();
            run(server, LibertyServer.wlp().resolve("bin/server").toString(), "stop", "mcq");
            Files.deleteIfExists(output);
        }
    }

    /** Runs a command with the server's environment (its user directory, ports and settings). */
    private static Command run(LibertyServer server, String... command) throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>(server.environment());
        environment.put("WLP_DIR", LibertyServer.wlp().toString());
        return Command.run(environment, command);
    }
}
