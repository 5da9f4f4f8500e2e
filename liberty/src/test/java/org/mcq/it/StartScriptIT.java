package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/mcq-start}, the README's way to start the server in the background, when the start
 * fails: it exits non-zero naming the reason the server gives, and stops the server. (Its start that
 * succeeds, UnprivilegedUserIT runs as another user.)
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

    /** Runs a command with the server's environment (its user directory, ports and settings). */
    private static Command run(LibertyServer server, String... command) throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>(server.environment());
        environment.put("WLP_DIR", LibertyServer.wlp().toString());
        return Command.run(environment, command);
    }
}
