package org.mcq.queues.store.derby;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.mcq.queues.api.CommitObserver;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.QueueService;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.rules.QueueLimits;

/**
 * The queues of this server on its own embedded Derby database: loaded into the in-memory index,
 * written by the group-commit writer, checkpointed now and then; open reads past their timeout and
 * idle queues swept on the timer.
 */
final class DerbyQueues implements QueueService {

    private static final Logger LOG = Logger.getLogger(DerbyQueues.class.getName());

    private final DerbyStore store;
    private final QueueSet queues;
    private final GroupCommit writer;
    private final ExecutorService completions;
    private final QueueOperations operations;
    /** Where the queues are and how they are written, for {@link #description}. */
    private final String where;
    private ScheduledFuture<?> checkpoints;
    private ScheduledFuture<?> staleReads;
    private ScheduledFuture<?> idleQueues;
    private ScheduledFuture<?> counters;

    /**
     * Loads the queues and starts the writer.
     *
     * @param writes a non-transactional data source: the writer commits its batches itself
     * @param reads  for reads from worker threads
     * @param where  what the start's log line says of where the queues are and how they are written
     */
    DerbyQueues(DataSource writes, DataSource reads, ThreadFactory threads, ExecutorService executor,
                ScheduledExecutorService scheduler, ScheduledExecutorService timers, QueueSet.Settings settings,
                long checkpointIntervalSeconds, Function<String, QueueLimits> limits, String where)
            throws StorageException {
        this.where = where;
        store = new DerbyStore(writes, reads);
        completions = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = threads.newThread(runnable);
            thread.setName("mcq-completion");
            return thread;
        });
        queues = new QueueSet(store, completions, executor, timers, settings, limits);
        writer = queues.writer();
        queues.load();
        Thread thread = threads.newThread(writer);
        thread.setName("mcq-writer");
        thread.start();
        if (checkpointIntervalSeconds > 0) {
            checkpoints = scheduler.scheduleWithFixedDelay(this::periodicCheckpoint,
                    checkpointIntervalSeconds, checkpointIntervalSeconds, TimeUnit.SECONDS);
        }
        if (settings.openTimeoutMillis() > 0) {
            // checked a few times per timeout, so a read comes back within a quarter of it late
            long every = Math.max(100, settings.openTimeoutMillis() / 4);
            staleReads = timers.scheduleWithFixedDelay(queues::returnStaleOpenReads, every, every, TimeUnit.MILLISECONDS);
        }
        if (settings.countersIntervalMillis() > 0) {
            // an idle server's last counters, and its last emptied queues, are not left waiting for a command
            counters = timers.scheduleWithFixedDelay(queues::writeCounters, settings.countersIntervalMillis(),
                    settings.countersIntervalMillis(), TimeUnit.MILLISECONDS);
        }
        if (settings.idleDropMillis() > 0) {
            // each sweep drops what was unused since the one before: gone one to two idle times after its last use
            idleQueues = timers.scheduleWithFixedDelay(queues::dropIdleQueues, settings.idleDropMillis(),
                    settings.idleDropMillis(), TimeUnit.MILLISECONDS);
        }
        operations = queues;
    }

    @Override
    public String description() {
        return queues.queueCount() + " queues (" + queues.queuesInMemory() + " in memory), " + queues.depth() + " messages"
                + where;
    }

    @Override
    public QueueOperations operations() {
        return operations;
    }

    @Override
    public void observe(CommitObserver observer) {
        writer.observe(observer);
    }

    @Override
    public long depth() {
        return queues.depth();
    }

    @Override
    public String failure() {
        return writer.failure();
    }

    @Override
    public void ping() throws StorageException {
        store.ping();
    }

    @Override
    public Path backup(Path directory) throws StorageException {
        store.backup(directory.toString());
        try (Stream<Path> made = Files.list(directory)) { // Derby names the copy as the database's own directory
            return made.filter(Files::isDirectory).findFirst().orElse(directory);
        } catch (IOException e) {
            return directory;
        }
    }

    @Override
    public boolean alive() {
        return writer.alive();
    }

    @Override
    public void stop() {
        for (ScheduledFuture<?> task : new ScheduledFuture<?>[]{checkpoints, staleReads, idleQueues, counters}) {
            if (task != null) {
                task.cancel(false);
            }
        }
        queues.stopWaiting();
        writer.stop(30_000);
        completions.shutdown();
        store.closeWriter();
    }

    private void periodicCheckpoint() {
        try {
            store.checkpoint();
        } catch (StorageException e) {
            LOG.log(Level.WARNING, "periodic checkpoint failed", e);
        }
    }
}
