package org.mcq.queues.store.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mcq.memcache.control.CommandLines.command;
import static org.mcq.memcache.control.CommandLines.text;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcq.memcache.control.InProcessLink;
import org.mcq.memcache.control.MemcacheCommands;
import org.mcq.memcache.control.Statistics;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;
import org.mcq.queues.rules.QueueLimits;

/**
 * Waiting reads ({@code get q/t=}) on the shared store, on a real PostgreSQL: what they cost the
 * database while nothing arrives, and the fallback behind the announcements (a message nobody
 * announced still reaches its waiter).
 */
class SharedWaitsTest {

    private static final int WAITERS = 200;
    private static final int PEEKERS = 20;
    private static final long WINDOW_MILLIS = 3_000;

    private static SharedEngine.Database database;

    private final ThreadFactory threads = runnable -> {
        Thread thread = new Thread(runnable);
        thread.setDaemon(true);
        return thread;
    };
    private WatchedSource watched;
    private ExecutorService executor;
    private ScheduledExecutorService scheduler;
    private PostgresQueues service;
    private QueueOperations queues;

    @BeforeAll
    static void createDatabase() throws Exception {
        database = new SharedEngine.Database();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        database.clear();
        watched = new WatchedSource(database.source);
        executor = Executors.newCachedThreadPool(threads);
        scheduler = Executors.newScheduledThreadPool(2, threads);
        service = PostgresQueues.start(watched.source(), threads, executor, scheduler, scheduler,
                new SharedSettings(UUID.randomUUID().toString(), "waits", true, 2, 0, 10_000, false,
                        name -> QueueLimits.NONE));
        queues = service.operations();
    }

    @AfterEach
    void stop() throws Exception {
        service.stop();
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    /** Reads waiting on this server (a queue that holds nothing has no {@code dump_stats} block). */
    private int waiters() throws Exception {
        return queues.totals().get(10, TimeUnit.SECONDS).reads().waiters();
    }

    /**
     * Hundreds of reads waiting on queues where nothing arrives: once they wait, no read of a queue's
     * head is run for them (each used to try again every second, peeks one statement each), and the
     * fallback costs one statement a second in all.
     */
    @Test
    void waitersOnEmptyQueuesCostNoReadsWhileNothingArrives() throws Exception {
        List<CompletableFuture<Delivery>> reads = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            reads.add(queues.read("empty-" + i % 4, i % 2 == 0 ? ReadMode.POP : ReadMode.OPEN, new Object(),
                    Room.UNLIMITED, 60_000));
        }
        for (int i = 0; i < PEEKERS; i++) {
            reads.add(queues.read("empty-peeked", ReadMode.PEEK, new Object(), Room.UNLIMITED, 60_000));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiters() < WAITERS + PEEKERS) {
            assertTrue(System.nanoTime() < deadline, "the reads did not all start waiting");
            Thread.sleep(20);
        }
        watched.reset();
        Thread.sleep(WINDOW_MILLIS);
        long heads = watched.executed(SharedSql.HEADS) + watched.executed(SharedSql.HEAD);
        long peeks = watched.executed(SharedSql.PEEK);
        long all = watched.executedInAll();
        System.out.printf("%d reads waiting for %d ms on empty queues: %d head reads, %d peeks, %d statements and "
                + "commits in all (%s)%n", WAITERS + PEEKERS, WINDOW_MILLIS, heads, peeks, all, watched.executed());
        assertEquals(0, heads, "reads of a queue's head while nothing arrived");
        assertEquals(0, peeks, "peeks while nothing arrived");
        reads.forEach(read -> assertFalse(read.isDone(), "a read ended before its time"));
    }

    /**
     * {@code get q/t=9999999999} (115 days) through the command handling ends at {@code mcq.max.wait.ms}
     * on this store too: the cap is applied where both stores get it.
     */
    @Test
    void aWaitLongerThanTheSettingEndsAtTheSetting() throws Exception {
        long maxWaitMillis = 300;
        MemcacheCommands commands = new MemcacheCommands(queues, new Statistics(), "0.2", 3, maxWaitMillis);
        InProcessLink connection = new InProcessLink(commands);
        long began = System.nanoTime();
        var reply = commands.onCommand(command("get nothing/t=9999999999"), connection).toCompletableFuture();
        String text = text(reply.get(10, TimeUnit.SECONDS));
        long tookMillis = (System.nanoTime() - began) / 1_000_000;
        assertEquals("END\r\n", text);
        assertTrue(tookMillis >= maxWaitMillis - 20 && tookMillis < 5_000, "waited " + tookMillis + " ms");
        assertEquals(0, waiters(), "nothing left waiting");
    }

    /**
     * A reader whose input ended (its client closed, or half-closed): its waiting read ends with
     * nothing, and so does a read it begins after, which goes to its lane first and would come back
     * to wait there (a message it took would be lost with the client).
     */
    @Test
    void aReaderWhoseInputEndedStopsWaitingNowAndLater() throws Exception {
        Object reader = new Object();
        CompletableFuture<Delivery> waiting = queues.read("ended", ReadMode.POP, reader, Room.UNLIMITED, 60_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiters() < 1) {
            assertTrue(System.nanoTime() < deadline, "the read did not start waiting");
            Thread.sleep(20);
        }
        queues.endWaits(reader);
        assertNull(waiting.get(5, TimeUnit.SECONDS));
        CompletableFuture<Delivery> later = queues.read("ended", ReadMode.POP, reader, Room.UNLIMITED, 60_000);
        assertNull(later.get(5, TimeUnit.SECONDS), "begun after the end, it does not wait its 60 s");
        assertEquals(0, waiters());
    }

    /**
     * A message committed without an announcement (a lost notification) still reaches the read
     * waiting for it, within about a second.
     */
    @Test
    void aMessageNobodyAnnouncedReachesItsWaiter() throws Exception {
        CompletableFuture<Delivery> read = queues.read("quiet", ReadMode.POP, new Object(),
                Room.UNLIMITED, 20_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiters() < 1) {
            assertTrue(System.nanoTime() < deadline, "the read did not start waiting");
            Thread.sleep(20);
        }
        Thread.sleep(1_200); // past a fallback check that found nothing
        byte[] body = "unannounced".getBytes(StandardCharsets.US_ASCII);
        long began = System.nanoTime();
        try (Connection c = database.source.getConnection(); PreparedStatement insert = c.prepareStatement(SharedSql.INSERT)) {
            c.setAutoCommit(true);
            insert.setString(1, "quiet");
            insert.setLong(2, 0);
            insert.setBytes(3, body);
            insert.setLong(4, System.currentTimeMillis());
            insert.setLong(5, 0);
            insert.executeUpdate();
        }
        Delivery delivery = read.get(5, TimeUnit.SECONDS);
        long tookMillis = (System.nanoTime() - began) / 1_000_000;
        System.out.printf("an unannounced message reached its waiter in %d ms%n", tookMillis);
        assertNotNull(delivery);
        assertArrayEquals(body, delivery.body());
        assertTrue(tookMillis < 2_500, "found by the fallback within about a second, not " + tookMillis + " ms");
    }
}
