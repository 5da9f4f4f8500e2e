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

    /** One server with a wrong value of each kind: a start costs 20 s or more on CI's 2 cores. */
    @Test
    void everyWrongSettingIsNamedAsWrittenInOneLineAndHealthSaysIt() throws Exception {
        Path file = Files.createTempFile(Path.of("target"), "data-dir-", ".file").toAbsolutePath();
        Map<String, String> settings = Map.of(
                "MCQ_SYNC", "maybe", // a flag: before, a typo meant false, and a healthy no-sync server
                "MCQ_QUEUE_X_MAX_MESSAGES", "10k", // a queue's own limit: before, it failed the queue's every batch
                "MCQ_QUEUE_JOBS_FULL_POLICY", "drop-newest", // a choice
                "MCQ_MAX_MESSAGE_SIZE", "-5", // a number out of its range: before, named maxMessageSize
                "MCQ_MEMORY_BUDGET_MB", "-1",
                "MCQ_PORT", "abc", // before, the health endpoints said nothing of it
                "MCQ_DATA_DIR", file.toString()); // before, 718 lines of Derby's, the cause at line 188
        try (LibertyServer server = LibertyServer.launch("bad-settings", settings)) {
            String refusal = awaitRefusal(server);
            for (String problem : List.of("MCQ_SYNC=maybe: must be true or false",
                    "MCQ_MAX_MESSAGE_SIZE=-5: must be a whole number from 1 to 2147483645",
                    "MCQ_MEMORY_BUDGET_MB=-1: must be a whole number from 0 to 1048576",
                    "MCQ_PORT=abc: must be a whole number from 0 to 65535",
                    "MCQ_DATA_DIR=" + file + ": must be a directory, not a file",
                    "MCQ_QUEUE_JOBS_FULL_POLICY=drop-newest: must be one of reject, drop-oldest",
                    "MCQ_QUEUE_X_MAX_MESSAGES=10k: must be a whole number from 0 to 9223372036854775807")) {
                assertTrue(refusal.contains(problem), problem + " in: " + refusal);
            }
            assertUnhealthyNaming(server, refusal.substring(refusal.indexOf("mcq cannot start, settings are wrong: ")));
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
