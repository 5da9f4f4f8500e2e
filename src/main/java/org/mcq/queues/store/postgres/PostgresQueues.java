package org.mcq.queues.store.postgres;

import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.mcq.queues.api.CommitObserver;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.QueueService;
import org.mcq.queues.api.StorageException;

/**
 * The queues of a PostgreSQL database several servers share, as the {@code Queues} bean runs them:
 * this server joined to the others, its lanes, listener, housekeeping and check for missed arrivals
 * running, and their health; the operations are {@link SharedQueues}'.
 */
final class PostgresQueues implements QueueService {

    private final SharedQueues operations;
    /** What the start's log line says; set once started. */
    private volatile String description = "";
    private final Waiters waiters;
    private final Lane[] lanes;
    private final Signals signals;
    private final Housekeeping housekeeping;
    private final MissedArrivals missedArrivals;
    private final SharedReads reads;
    private ScheduledFuture<?> beats;
    private ScheduledFuture<?> rechecks;

    private PostgresQueues(SharedQueues operations) {
        this.operations = operations;
        this.waiters = operations.waiters;
        this.lanes = operations.lanes;
        this.signals = operations.signals;
        this.housekeeping = operations.housekeeping;
        this.missedArrivals = operations.missedArrivals;
        this.reads = operations.reads;
    }

    /**
     * Makes the schema's extras, joins the servers, starts the lanes and the listener.
     *
     * @param scheduler runs the housekeeping and the check for arrivals nobody announced, which wait
     *                  on the database (so not on {@code timers})
     */
    static PostgresQueues start(DataSource source, ThreadFactory threads, Executor maintenance,
                                ScheduledExecutorService scheduler, ScheduledExecutorService timers,
                                SharedSettings settings) throws StorageException {
        PostgresQueues queues = new PostgresQueues(new SharedQueues(source, maintenance, timers, settings));
        queues.reads.createSchema();
        try {
            queues.housekeeping.join();
        } catch (SQLException e) {
            throw StorageException.database("cannot join the shared database", e);
        }
        for (int i = 0; i < queues.lanes.length; i++) {
            queues.lanes[i].start(named(threads, queues.lanes[i], "mcq-lane-" + i));
        }
        queues.signals.start(named(threads, queues.signals.listener(), "mcq-listen"),
                named(threads, queues.signals.sender(), "mcq-announce"));
        queues.beats = scheduler.scheduleWithFixedDelay(queues.housekeeping, 1, 1, TimeUnit.SECONDS);
        queues.rechecks = scheduler.scheduleWithFixedDelay(queues.missedArrivals, 1, 1, TimeUnit.SECONDS);
        return queues;
    }

    private static Thread named(ThreadFactory threads, Runnable task, String name) {
        Thread thread = threads.newThread(task);
        thread.setName(name);
        return thread;
    }

    /** Ends waiting reads, writes what the lanes accepted, gives back this server's open reads and leaves. */
    @Override
    public void stop() throws InterruptedException {
        long timeoutMillis = 30_000;
        cancelTimers();
        waiters.endAll();
        for (Lane lane : lanes) {
            lane.stop(timeoutMillis);
        }
        housekeeping.leave();
        signals.stop();
    }

    /**
     * Stops as a crash would, for the model tests: the threads end, nothing is given back or written
     * on the way out; the other servers give its open reads back once its heartbeat is old.
     */
    void halt() throws InterruptedException {
        cancelTimers();
        waiters.endAll();
        for (Lane lane : lanes) {
            lane.stop(30_000);
        }
        signals.stop();
    }

    private void cancelTimers() {
        for (ScheduledFuture<?> task : new ScheduledFuture<?>[]{beats, rechecks}) {
            if (task != null) {
                task.cancel(false);
            }
        }
    }

    @Override
    public QueueOperations operations() {
        return operations;
    }

    /** Tells {@code observer} of every batch the lanes commit. */
    @Override
    public void observe(CommitObserver observer) {
        for (Lane lane : lanes) {
            lane.observe(observer);
        }
    }

    /** Messages waiting in all queues of the database. */
    @Override
    public long depth() throws StorageException {
        return reads.totals().messages();
    }

    @Override
    public String description() {
        return description;
    }

    void describe(String description) {
        this.description = description;
    }

    /**
     * Why the database refuses writes, or null: the housekeeping's write of a second ago tells (a
     * lane's failure tells only until its next batch, and an idle lane has none).
     */
    @Override
    public String failure() {
        return housekeeping.failure();
    }

    @Override
    public void ping() throws StorageException {
        reads.ping();
    }

    /** A database several servers share is backed up where it lives: PostgreSQL's pg_dump, or its base backups. */
    @Override
    public java.nio.file.Path backup(java.nio.file.Path directory) {
        throw new UnsupportedOperationException("the queues are in a PostgreSQL database several servers share: "
                + "back it up with PostgreSQL's own tools (pg_dump, pg_basebackup)");
    }

    @Override
    public boolean alive() {
        for (Lane lane : lanes) {
            if (!lane.alive()) {
                return false;
            }
        }
        return true;
    }
}
