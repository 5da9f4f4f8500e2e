package org.mcq.queues.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mcq.memcache.control.CommandLines.command;
import static org.mcq.memcache.control.CommandLines.text;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcq.memcache.control.InProcessLink;
import org.mcq.memcache.control.MemcacheCommands;
import org.mcq.memcache.control.Statistics;
import org.mcq.protocol.Reply;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.rules.QueueLimits;

/**
 * The reports a client may send at any time ({@code stats}, {@code stats queue}, {@code dump_stats},
 * {@code flush_expired}) on the shared store, through the real command handling, on a real
 * PostgreSQL: the thread that delivers the command (a selector thread, serving every connection of
 * its selector) takes no connection, and the reply is given once the database has answered on the
 * maintenance executor.
 */
class SharedReportsTest {

    private static SharedEngine.Database database;

    private final ThreadFactory threads = runnable -> {
        Thread thread = new Thread(runnable);
        thread.setDaemon(true);
        return thread;
    };

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

    @Test
    void reportsTakeNoConnectionOnTheThreadThatDeliversTheCommand() throws Exception {
        database.clear();
        WatchedSource watched = new WatchedSource(database.source);
        HeldExecutor maintenance = new HeldExecutor();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, threads);
        PostgresQueues service = PostgresQueues.start(watched.source(), threads, maintenance, scheduler, scheduler,
                new SharedSettings(UUID.randomUUID().toString(), "reports", true, 2, 0, 10_000, false,
                        name -> QueueLimits.NONE));
        QueueOperations queues = service.operations();
        try {
            queues.set("q", 0, 0, "hello".getBytes(StandardCharsets.US_ASCII)).get(10, TimeUnit.SECONDS);
            MemcacheCommands commands = new MemcacheCommands(queues, new Statistics(), "0.2", 3, 60_000);
            InProcessLink connection = new InProcessLink(commands);
            List<List<String>> asked = List.of(
                    List.of("stats", "STAT curr_items 1\r\n"),
                    List.of("stats queue", "STAT q "),
                    List.of("dump_stats", "queue 'q' {\r\n  items=1\r\n"),
                    List.of("dump_stats q", "queue 'q' {\r\n  items=1\r\n"),
                    List.of("flush_expired q", "0\r\n"));
            for (List<String> report : asked) {
                watched.watch(Thread.currentThread());
                var reply = commands.onCommand(command(report.get(0)), connection).toCompletableFuture();
                // a listing is streamed: its reply is at hand, its first chunk is what waits for the database
                var first = reply.isDone() && reply.join() instanceof Reply.Streamed streamed
                        ? streamed.chunks().next().toCompletableFuture() : reply;
                watched.watch(null);
                assertFalse(first.isDone(), report.get(0) + ": answered before the database was asked");
                assertTrue(maintenance.held() > 0, report.get(0) + ": handed to the maintenance executor");
                maintenance.runAll();
                String text = first == reply ? text(reply.get(10, TimeUnit.SECONDS))
                        : rest((Reply.Streamed) reply.join(), (byte[]) first.get(10, TimeUnit.SECONDS), maintenance);
                assertTrue(text.contains(report.get(1)), report.get(0) + " answered " + text);
            }
            assertEquals(List.of(), watched.takenOnWatched(), "connections taken on the thread that delivered a command");
        } finally {
            service.stop();
            scheduler.shutdownNow();
        }
    }

    /** A streamed reply's text from its first chunk on, each later chunk read on the maintenance executor. */
    private static String rest(Reply.Streamed reply, byte[] first, HeldExecutor maintenance) throws Exception {
        StringBuilder text = new StringBuilder();
        for (byte[] chunk = first; chunk != null; ) {
            text.append(new String(chunk, StandardCharsets.ISO_8859_1));
            var next = reply.chunks().next().toCompletableFuture();
            maintenance.runAll();
            chunk = next.get(10, TimeUnit.SECONDS);
        }
        return text.toString();
    }

    /**
     * Every queue, in pages: 2,500 names come back once each, in order, through three pages; and the
     * deepest few without a listing.
     */
    @Test
    void everyQueueIsListedPageByPage() throws Exception {
        database.clear();
        HeldExecutor maintenance = new HeldExecutor();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, threads);
        PostgresQueues service = PostgresQueues.start(database.source, threads, maintenance, scheduler, scheduler,
                new SharedSettings(UUID.randomUUID().toString(), "pages", true, 2, 0, 10_000, false,
                        name -> QueueLimits.NONE));
        QueueOperations queues = service.operations();
        try {
            List<String> names = new java.util.ArrayList<>();
            List<java.util.concurrent.CompletableFuture<Void>> sets = new java.util.ArrayList<>();
            for (int i = 0; i < 2 * QueueFigures.REPORT_PAGE + 500; i++) {
                names.add(String.format("q%05d", i));
                sets.add(queues.set(names.get(i), 0, 0, new byte[1]));
            }
            for (var set : sets) {
                set.get(30, TimeUnit.SECONDS);
            }
            MemcacheCommands commands = new MemcacheCommands(queues, new Statistics(), "0.1", 3, 60_000);
            Reply.Streamed reply = (Reply.Streamed) commands.onCommand(command("stats queue"),
                    new InProcessLink(commands)).toCompletableFuture().join();
            var first = reply.chunks().next().toCompletableFuture();
            maintenance.runAll();
            String text = rest(reply, first.get(10, TimeUnit.SECONDS), maintenance);
            StringBuilder expected = new StringBuilder();
            names.forEach(name -> expected.append("STAT ").append(name).append("\r\n"));
            assertEquals(expected.append("END\r\n").toString(), text);

            // the metrics' series: the deepest, asked of the database rather than of a listing of every queue
            for (String name : List.of("q00100", "q00100", "q00200")) {
                queues.set(name, 0, 0, new byte[1]).get(10, TimeUnit.SECONDS);
            }
            var deepest = queues.deepest(2);
            maintenance.runAll();
            assertEquals(List.of("q00100 3", "q00200 2"), deepest.get(10, TimeUnit.SECONDS).stream()
                    .map(queue -> queue.name() + " " + queue.items()).toList());
        } finally {
            service.stop();
            scheduler.shutdownNow();
        }
    }
}
