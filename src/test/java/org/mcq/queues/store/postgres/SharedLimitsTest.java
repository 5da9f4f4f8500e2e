package org.mcq.queues.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mcq.model.Wire.call;
import static org.mcq.model.Wire.line;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcq.model.Link;
import org.mcq.queues.rules.QueueLimits;

/**
 * Per-queue limits in the shared store, on a private PostgreSQL: producers on two servers at once
 * never take a queue past its limit; reads held open do not count against it (as on Derby), so a
 * drop-oldest queue whose messages are all read open still takes a set; {@code flush_expired} removes
 * what is older than the queue's maximum age.
 */
class SharedLimitsTest {

    private static SharedEngine.Database database;

    @BeforeAll
    static void createDatabase() throws Exception {
        database = new SharedEngine.Database();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        database.close();
    }

    @Test
    void producersOnTwoServersAtOnceNeverExceedTheLimit() throws Exception {
        int limit = 20;
        try (SharedEngine servers = new SharedEngine(database, 2, true, 3,
                name -> new QueueLimits(limit, 0, 0, false))) {
            ExecutorService producers = Executors.newFixedThreadPool(8);
            List<Future<Integer>> stored = new ArrayList<>();
            for (int p = 0; p < 8; p++) {
                int server = p % 2;
                stored.add(producers.submit(() -> {
                    int acknowledged = 0;
                    try (Link link = servers.connect(server)) {
                        for (int i = 0; i < 40; i++) {
                            String reply = call(link, "set bounded 0 0 1\r\nx");
                            assertTrue(reply.equals("STORED") || reply.equals("SERVER_ERROR queue full"), reply);
                            acknowledged += reply.equals("STORED") ? 1 : 0;
                        }
                    }
                    return acknowledged;
                }));
            }
            int acknowledged = 0;
            for (Future<Integer> producer : stored) {
                acknowledged += producer.get();
            }
            producers.shutdown();
            assertEquals(limit, acknowledged, "every set up to the limit stored, none past it");
            assertEquals(Long.toString(limit), database.cluster.query("SELECT COUNT(*) FROM MESSAGES WHERE QUEUE_NAME = 'bounded'"));
        }
    }

    @Test
    void readsHeldOpenDoNotCountAgainstTheLimit() throws Exception {
        try (SharedEngine servers = new SharedEngine(database, 1, true, 3,
                name -> new QueueLimits(3, 0, 0, true));
             Link link = servers.connect(0)) {
            for (int i = 0; i < 3; i++) {
                assertEquals("STORED", call(link, "set jobs 0 0 2\r\nj" + i));
            }
            for (int i = 0; i < 3; i++) {
                assertEquals("VALUE jobs/open 0 2", call(link, "get jobs/open"));
                line(link.replies());
                assertEquals("END", line(link.replies()));
            }
            assertEquals("STORED", call(link, "set jobs 0 0 2\r\nj3"), "room: the three are read open, not waiting");
            assertEquals("4", database.cluster.query("SELECT COUNT(*) FROM MESSAGES WHERE QUEUE_NAME = 'jobs'"),
                    "nothing dropped to make room");
        }
    }

    @Test
    void flushExpiredRemovesWhatIsOlderThanTheMaximumAge() throws Exception {
        try (SharedEngine servers = new SharedEngine(database, 1, true, 3,
                name -> new QueueLimits(0, 0, 200, false));
             Link link = servers.connect(0)) {
            assertEquals("STORED", call(link, "set old 0 0 1\r\na"));
            assertEquals("STORED", call(link, "set old 0 0 1\r\nb"));
            int removed = 0;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (removed < 2 && System.nanoTime() < deadline) {
                removed += Integer.parseInt(call(link, "flush_expired old"));
                Thread.sleep(50); // between polls of the observable count, until the maximum age has passed
            }
            assertEquals(2, removed, "both removed once older than the maximum age");
            assertEquals("0", database.cluster.query("SELECT COUNT(*) FROM MESSAGES WHERE QUEUE_NAME = 'old'"));
        }
    }
}
