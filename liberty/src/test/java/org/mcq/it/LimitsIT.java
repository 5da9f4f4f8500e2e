package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MemcacheQ's limits as server.xml settings: connections, message size, line length, idle timeout. */
class LimitsIT {

    private static LibertyServer server;

    @BeforeAll
    static void start() throws Exception {
        server = LibertyServer.start("limits", Map.of("MCQ_MAX_CONNECTIONS", "8", "MCQ_MAX_MESSAGE_SIZE", "1000",
                "MCQ_MAX_LINE_LENGTH", "200", "MCQ_IDLE_TIMEOUT_S", "2"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @Test
    void connectionsBeyondTheLimitAreToldWhyAndClosed() throws Exception {
        List<MemcacheClient> open = new ArrayList<>();
        try {
            // the health check may hold one connection for a moment, so fill up to the refusal
            String refusal = null;
            for (int i = 0; i < 12 && refusal == null; i++) {
                MemcacheClient c = server.client();
                open.add(c);
                c.send("version\r\n");
                String line = c.line();
                if (!line.startsWith("VERSION")) {
                    refusal = line;
                }
            }
            assertEquals("SERVER_ERROR too many open connections", refusal);
            assertTrue(open.get(open.size() - 1).closedByServer(10_000));
            assertTrue(open.size() <= 9, "refused only after " + open.size());
            open.remove(open.size() - 1).close();
            open.remove(0).close();
            awaitAccepting();
        } finally {
            for (MemcacheClient c : open) {
                c.close();
            }
        }
    }

    /** The server notices the closes asynchronously, so a new connection is admitted a little later. */
    private static void awaitAccepting() throws Exception {
        assertTrue(Eventually.holds(Duration.ofSeconds(30), () -> {
            try (MemcacheClient c = server.client()) {
                return c.call("version").startsWith("VERSION");
            }
        }), "no connection accepted after others were closed");
    }

    @Test
    void theConfiguredMessageSizeIsEnforced() throws Exception {
        try (MemcacheClient c = server.client()) {
            assertEquals("SERVER_ERROR object too large for cache", c.set("limits-size", 0, new byte[1001]));
            assertEquals("STORED", c.set("limits-size", 0, new byte[1000]));
            assertEquals(1000, c.get("limits-size").body().length);
        }
    }

    @Test
    void theConfiguredLineLengthIsEnforced() throws Exception {
        try (MemcacheClient c = server.client()) {
            assertEquals("STORED", c.set("limits-line", "x"));
            c.send("get " + "k".repeat(250) + "\r\n");
            assertEquals("CLIENT_ERROR line too long", c.line());
            assertTrue(c.closedByServer(10_000));
        }
        try (MemcacheClient c = server.client()) {
            assertEquals("x", c.getText("limits-line"));
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheTimeout() throws Exception {
        try (MemcacheClient c = server.client()) {
            assertEquals("STORED", c.set("limits-idle", "x"));
            long begin = System.nanoTime();
            assertTrue(c.closedByServer(15_000), "still open after 15 s");
            long idle = (System.nanoTime() - begin) / 1_000_000;
            assertTrue(idle >= 1500, "closed after only " + idle + " ms");
        }
        try (MemcacheClient c = server.client()) {
            assertEquals("x", c.getText("limits-idle"));
            assertNull(c.get("limits-idle"));
        }
    }

    @Test
    void aBlockingReadLongerThanTheIdleTimeoutIsNotCutOff() throws Exception {
        try (MemcacheClient c = server.client()) {
            long begin = System.nanoTime();
            assertNull(c.get("limits-wait/t=4000"), "the read waits out its 4 s on an empty queue");
            long waited = (System.nanoTime() - begin) / 1_000_000;
            assertTrue(waited >= 3500, "answered after only " + waited + " ms");
            begin = System.nanoTime();
            assertTrue(c.closedByServer(15_000), "the idle time counts again once the reply is out");
            long idle = (System.nanoTime() - begin) / 1_000_000;
            assertTrue(idle >= 1500, "closed after only " + idle + " ms");
        }
    }
}
