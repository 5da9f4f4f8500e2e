package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A wrong setting stops the application's start: one log line names every wrong setting as the
 * operator wrote it, with its value; the server does not look healthy (readiness and startup DOWN)
 * and its memcache port stays closed. Before, {@code MCQ_SYNC=maybe} started a healthy no-sync server
 * and a per-queue limit of {@code 10k} failed every batch of the queue, once it was used.
 */
class SettingsIT {

    @Test
    void aTypoInSyncStopsTheStartInsteadOfMeaningNoSync() throws Exception {
        try (LibertyServer server = LibertyServer.launch("bad-sync", Map.of("MCQ_SYNC", "maybe"))) {
            String refusal = awaitRefusal(server);
            assertTrue(refusal.endsWith("mcq cannot start, a setting is wrong: MCQ_SYNC=maybe: must be true or false"),
                    refusal);
            assertUnhealthy(server);
        }
    }

    @Test
    void everyWrongSettingIsNamedAsWrittenInOneLine() throws Exception {
        Map<String, String> settings = Map.of(
                "MCQ_QUEUE_X_MAX_MESSAGES", "10k",
                "MCQ_QUEUE_JOBS_FULL_POLICY", "drop-newest",
                "MCQ_MAX_MESSAGE_SIZE", "1m",
                "MCQ_MEMORY_BUDGET_MB", "-1");
        try (LibertyServer server = LibertyServer.launch("bad-settings", settings)) {
            String refusal = awaitRefusal(server);
            for (String problem : List.of("MCQ_MAX_MESSAGE_SIZE=1m: must be a whole number from 1 to 2147483645",
                    "MCQ_MEMORY_BUDGET_MB=-1: must be a whole number from 0 to 1048576",
                    "MCQ_QUEUE_JOBS_FULL_POLICY=drop-newest: must be one of reject, drop-oldest",
                    "MCQ_QUEUE_X_MAX_MESSAGES=10k: must be a whole number from 0 to 9223372036854775807")) {
                assertTrue(refusal.contains(problem), problem + " in: " + refusal);
            }
            assertUnhealthy(server);
        }
    }

    /** Waits until the application has failed to start; the one line the settings check logged. */
    private static String awaitRefusal(LibertyServer server) throws Exception {
        boolean failed = Eventually.holds(Duration.ofSeconds(180), () -> server.messagesLog().contains("CWWKZ0002E"));
        assertTrue(failed, "the application never failed to start:\n" + server.consoleTail());
        List<String> lines = server.messagesLog().lines()
                .filter(line -> line.contains("org.mcq.queues.boundary.SettingsCheck")).toList();
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains(" E mcq cannot start"), lines.get(0));
        return lines.get(0);
    }

    private static void assertUnhealthy(LibertyServer server) throws Exception {
        // The application fails before the HTTP endpoint may be listening (CI's 2 cores): wait for it to
        // answer at all, then check what it answers.
        assertTrue(Eventually.holds(Duration.ofSeconds(120), () -> server.health("ready") != -1),
                "the health endpoint never answered:\n" + server.consoleTail());
        assertEquals(503, server.health("ready"), server.healthBody("ready"));
        assertEquals(503, server.health("started"), server.healthBody("started"));
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
            }
        }, "the memcache port is closed");
    }
}
