package org.mcq.queues.store.derby;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mcq.memcache.control.CommandLines.command;
import static org.mcq.memcache.control.CommandLines.text;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mcq.memcache.control.InProcessLink;
import org.mcq.memcache.control.MemcacheCommands;
import org.mcq.memcache.control.Statistics;
import org.mcq.protocol.Reply;
import org.mcq.queues.rules.QueueLimits;

/** The Derby store's reports come from memory: through the real command handling, each reply is ready when returned. */
class DerbyReportsTest {

    @Test
    void reportsAreAnsweredAtOnce() throws Exception {
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable);
            thread.setDaemon(true);
            return thread;
        };
        ExecutorService executor = Executors.newCachedThreadPool(threads);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, threads);
        try (DerbyEngine.Database database = new DerbyEngine.Database("reports")) {
            database.clear();
            DerbyQueues queues = new DerbyQueues(database.source, database.source, threads, executor, scheduler,
                    scheduler, new QueueSet.Settings(true, 5, 1 << 20, 1000, 0, false, 0), 0,
                    name -> QueueLimits.NONE, "");
            try {
                queues.operations().set("q", 0, 0, "hello".getBytes(StandardCharsets.US_ASCII)).get(10, TimeUnit.SECONDS);
                MemcacheCommands commands = new MemcacheCommands(queues.operations(), new Statistics(), "0.2", 3, 60_000);
                InProcessLink connection = new InProcessLink(commands);
                for (List<String> report : List.of(
                        List.of("stats", "STAT curr_items 1\r\n"),
                        List.of("stats queue", "STAT q 1/0\r\n"),
                        List.of("dump_stats", "queue 'q' {\r\n  items=1\r\n"),
                        List.of("flush_expired q", "0\r\n"))) {
                    CompletableFuture<Reply> reply = commands.onCommand(command(report.get(0)), connection)
                            .toCompletableFuture();
                    assertTrue(reply.isDone(), report.get(0) + " waited");
                    String text = text(reply.join());
                    assertTrue(text.contains(report.get(1)), report.get(0) + " answered " + text);
                }
            } finally {
                queues.stop();
            }
        } finally {
            executor.shutdownNow();
            scheduler.shutdownNow();
        }
    }
}
