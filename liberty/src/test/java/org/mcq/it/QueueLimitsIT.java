package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Expiry, per-queue limits with both full policies (defaults for all queues, overrides by queue
 * name), Kestrel's flush, flush_expired and dump_stats, and idle queues dropped: one server
 * configured through the environment, as an operator would.
 */
class QueueLimitsIT {

    private static LibertyServer server;

    @BeforeAll
    static void start() throws Exception {
        server = LibertyServer.start("limits", Map.of(
                "MCQ_EXPIRY", "true",
                "MCQ_QUEUE_MAX_MESSAGES", "3",
                "MCQ_QUEUE_LIM_DROP_FULL_POLICY", "drop-oldest",
                "MCQ_QUEUE_LIM_BIG_MAX_MESSAGES", "0",
                "MCQ_QUEUE_IDLE_DROP_S", "1"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void aFullQueueRefusesBeyondItsLimitAndKeepsTheConnectionInStep() throws Exception {
        try (MemcacheClient c = server.client()) {
            for (int i = 0; i < 3; i++) {
                assertEquals("STORED", c.set("lim-reject", "m" + i));
            }
            assertEquals("SERVER_ERROR queue full", c.set("lim-reject", "m3"));
            assertEquals("m0", c.getText("lim-reject"));
            assertEquals("STORED", c.set("lim-reject", "m3"), "room again");
            for (int i = 0; i < 10; i++) {
                assertEquals("STORED", c.set("lim-big", "b" + i), "a queue whose own limit is none");
            }
        }
    }

    @Test
    void dropOldestStoresAndDiscardsTheOldestCountingThem() throws Exception {
        try (MemcacheClient c = server.client()) {
            for (int i = 0; i < 5; i++) {
                assertEquals("STORED", c.set("lim-drop", "m" + i));
            }
            String dump = dumpStats(c, "lim-drop");
            assertTrue(dump.contains("queue 'lim-drop' {\r\n  items=3\r\n  bytes=6\r\n"), dump);
            assertTrue(dump.contains("  discarded=2\r\n  total_items=5\r\n}\r\nEND\r\n"), dump);
            assertEquals("m2", c.getText("lim-drop"));
            assertEquals("m3", c.getText("lim-drop"));
            assertEquals("m4", c.getText("lim-drop"));
            assertTrue(Long.parseLong(c.stats(null).get("discarded")) >= 2);
        }
    }

    @Test
    void withExpiryOnExpiredMessagesAreNeverDelivered() throws Exception {
        try (MemcacheClient c = server.client()) {
            c.send("set lim-exp 0 -1 4\r\ngone\r\n");
            assertEquals("STORED", c.line());
            c.send("set lim-exp 0 60 4\r\nkept\r\n"); // PHP's Memcache::set($q, $v, 0, 60): a minute from now
            assertEquals("STORED", c.line());
            c.send("set lim-exp 0 1000000000 4\r\nold!\r\n"); // a Unix time in 2001
            assertEquals("STORED", c.line());
            assertEquals("kept", c.getText("lim-exp"), "the expired head is skipped, not a hit");
            assertEquals("1", c.call("flush_expired lim-exp"));
            assertNull(c.get("lim-exp"));
            assertEquals("0", c.call("flush_expired lim-exp"));
            assertTrue(Long.parseLong(c.stats(null).get("expired")) >= 2);
        }
    }

    @Test
    void flushEmptiesAQueueAndConfirmsItsOpenReads() throws Exception {
        try (MemcacheClient c = server.client()) {
            c.set("lim-flush", "a");
            c.set("lim-flush", "b");
            assertEquals("a", c.getText("lim-flush/open"));
            assertEquals("END", c.call("flush lim-flush"));
            String dump = dumpStats(c, "lim-flush");
            assertTrue(dump.contains("  items=0\r\n") && dump.contains("  open_transactions=0\r\n"), dump);
            assertNull(c.get("lim-flush/abort"), "nothing open any more");
            assertNull(c.get("lim-flush"));
        }
    }

    @Test
    void emptyQueuesUnusedForTheIdleTimeAreDropped() throws Exception {
        int queues = 2000;
        try (MemcacheClient c = server.client()) {
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < queues; i++) {
                pipeline.append("set lim-idle-").append(i).append(" 0 0 1\r\nx\r\nget lim-idle-").append(i).append("\r\n");
            }
            c.send(pipeline.toString().getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < queues; i++) {
                assertEquals("STORED", c.line());
                assertEquals(1, c.values().size());
            }
            assertTrue(Eventually.holds(Duration.ofSeconds(30), () -> c.stats("queue").keySet().stream()
                    .noneMatch(name -> name.startsWith("lim-idle-"))), "idle empty queues are dropped");
            assertEquals("STORED", c.set("lim-idle-0", "again"), "a dropped queue is made again by a set");
            assertEquals("1/0", c.stats("queue").get("lim-idle-0"), "with new counters");
        }
    }

    private static String dumpStats(MemcacheClient c, String queue) throws Exception {
        c.send("dump_stats " + queue + "\r\n");
        StringBuilder dump = new StringBuilder();
        String line;
        do {
            line = c.line();
            dump.append(line).append("\r\n");
        } while (!line.equals("END"));
        return dump.toString();
    }
}
