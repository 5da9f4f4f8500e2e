package org.mcq.shared.control;

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
import org.mcq.queues.control.QueueLimits;

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
        SharedQueues queues = SharedQueues.start(watched.source(), threads, maintenance, scheduler, scheduler,
                new SharedSettings(UUID.randomUUID().toString(), "reports", true, 2, 0, 10_000, false,
                        name -> QueueLimits.NONE));
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
                watched.watch(null);
                assertFalse(reply.isDone(), report.get(0) + ": answered before the database was asked");
                assertTrue(maintenance.held() > 0, report.get(0) + ": handed to the maintenance executor");
                maintenance.runAll();
                String text = text(reply.get(10, TimeUnit.SECONDS));
                assertTrue(text.contains(report.get(1)), report.get(0) + " answered " + text);
            }
            assertEquals(List.of(), watched.takenOnWatched(), "connections taken on the thread that delivered a command");
        } finally {
            queues.stop();
            scheduler.shutdownNow();
        }
    }
}
