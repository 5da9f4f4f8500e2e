package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A wrong setting stops the queues' start: one log line names every wrong setting as the operator
 * wrote it, with its value; the memcache port stays closed; and the health endpoints say so, each
 * naming the cause (liveness, readiness and startup DOWN). Before, {@code MCQ_SYNC=maybe} started a
 * healthy no-sync server, a per-queue limit of {@code 10k} failed every batch of the queue once it
 * was used, and later a failed start left liveness UP and readiness DOWN with no reason.
 */
class SettingsIT {

    @Test
    void aTypoInSyncStopsTheStartInsteadOfMeaningNoSync() throws Exception {
        try (LibertyServer server = LibertyServer.launch("bad-sync", Map.of("MCQ_SYNC", "maybe"))) {
            String refusal = awaitRefusal(server);
            String cause = "mcq cannot start, a setting is wrong: MCQ_SYNC=maybe: must be true or false";
            assertTrue(refusal.endsWith(cause), refusal);
            assertUnhealthyNaming(server, cause);
        }
    }

    @Test
    void everyWrongSettingIsNamedAsWrittenInOneLine() throws Exception {
        Map<String, String> settings = Map.of(
                "MCQ_QUEUE_X_MAX_MESSAGES", "10k",
                "MCQ_QUEUE_JOBS_FULL_POLICY", "drop-newest",
                "MCQ_MAX_MESSAGE_SIZE", "-5",
                "MCQ_PORT", "abc",
                "MCQ_MEMORY_BUDGET_MB", "-1");
        try (LibertyServer server = LibertyServer.launch("bad-settings", settings)) {
            String refusal = awaitRefusal(server);
            for (String problem : List.of("MCQ_MAX_MESSAGE_SIZE=-5: must be a whole number from 1 to 2147483645",
                    "MCQ_PORT=abc: must be a whole number from 0 to 65535",
                    "MCQ_MEMORY_BUDGET_MB=-1: must be a whole number from 0 to 1048576",
                    "MCQ_QUEUE_JOBS_FULL_POLICY=drop-newest: must be one of reject, drop-oldest",
                    "MCQ_QUEUE_X_MAX_MESSAGES=10k: must be a whole number from 0 to 9223372036854775807")) {
                assertTrue(refusal.contains(problem), problem + " in: " + refusal);
            }
            assertTrue(Eventually.holds(Duration.ofSeconds(120), () -> server.health("live") != -1),
                    "the health endpoint never answered:\n" + server.consoleTail());
            assertEquals(503, server.health("live"));
            String live = server.healthBody("live");
            assertTrue(live.contains("MCQ_PORT=abc") && live.contains("MCQ_QUEUE_X_MAX_MESSAGES=10k"), live);
        }
    }

    @Test
    void aDataDirectoryThatIsAFileIsNamedNotHundredsOfLinesOfDerby() throws Exception {
        Path file = Files.createTempFile(Path.of("target"), "data-dir-", ".file");
        try (LibertyServer server = LibertyServer.launch("data-file", Map.of("MCQ_DATA_DIR", file.toAbsolutePath().toString()))) {
            String refusal = awaitRefusal(server);
            String cause = "mcq cannot start, a setting is wrong: MCQ_DATA_DIR=" + file.toAbsolutePath()
                    + ": must be a directory, not a file";
            assertTrue(refusal.endsWith(cause), refusal);
            assertUnhealthyNaming(server, cause);
            assertTrue(server.messagesLog().lines().noneMatch(line -> line.contains("XBM0J")), "Derby was never booted there");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Waits until the queues have refused to start; the one line that says why. */
    static String awaitRefusal(LibertyServer server) throws Exception {
        boolean refused = Eventually.holds(Duration.ofSeconds(180), () -> server.messagesLog().contains("mcq cannot start"));
        assertTrue(refused, "the queues never refused to start:\n" + server.consoleTail());
        List<String> lines = server.messagesLog().lines().filter(line -> line.contains(" E mcq cannot start")).toList();
        assertEquals(1, lines.size(), String.join("\n", lines));
        return lines.get(0);
    }

    /** Liveness, readiness and startup DOWN, each naming {@code cause}; the memcache port closed. */
    static void assertUnhealthyNaming(LibertyServer server, String cause) throws Exception {
        // the queues refuse before the HTTP endpoint may be listening (CI's 2 cores): wait for it to answer
        assertTrue(Eventually.holds(Duration.ofSeconds(120), () -> server.health("started") != -1),
                "the health endpoint never answered:\n" + server.consoleTail());
        for (String probe : List.of("live", "ready", "started")) {
            assertEquals(503, server.health(probe), server.healthBody(probe));
            String body = server.healthBody(probe);
            assertTrue(body.contains("\"reason\":\"" + cause.replace("\\", "\\\\") + "\""), probe + ": " + body);
        }
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
            }
        }, "the memcache port is closed");
    }
}
