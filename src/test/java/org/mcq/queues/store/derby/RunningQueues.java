package org.mcq.queues.store.derby;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.rules.QueueLimits;

/**
 * The queue logic on a {@link MemoryStore} with its writer on a thread of its own, as the server
 * runs it, for the tests of the queue logic: started, stopped as the server stops it (what was
 * acknowledged, and the counters, written), started again on the same store.
 */
final class RunningQueues {

    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "test-timers");
        thread.setDaemon(true);
        return thread;
    });

    private final MemoryStore store;
    private QueueSet queues;
    private Thread writer;

    RunningQueues(MemoryStore store) {
        this.store = store;
    }

    QueueSet start(QueueSet.Settings settings, Function<String, QueueLimits> limits) throws StorageException {
        queues = new QueueSet(store, Runnable::run, Runnable::run, TIMERS, settings, limits);
        queues.load();
        writer = new Thread(queues.writer(), "test-writer");
        writer.start();
        return queues;
    }

    /** Stops the writer, if one runs, and waits for its thread to end. */
    void stop() throws InterruptedException {
        if (queues != null) {
            queues.writer().stop(10_000);
            writer.join(10_000);
            queues = null;
        }
    }

    static <T> T await(CompletableFuture<T> stage) throws Exception {
        return stage.get(10, TimeUnit.SECONDS);
    }
}
