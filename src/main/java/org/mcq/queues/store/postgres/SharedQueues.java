package org.mcq.queues.store.postgres;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.mcq.queues.api.CommitObserver;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.QueueReport;
import org.mcq.queues.api.QueueService;
import org.mcq.queues.api.QueueTotals;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.rules.Expiry;

/**
 * The queues of a PostgreSQL database that several servers share: the database is the truth, and
 * this server keeps only what is its own (its connections' open reads and waiting reads, counters
 * not yet written). Every change is a row change committed before it is answered.
 */
public final class SharedQueues implements QueueOperations, QueueService {

    private final SharedSettings settings;
    /** What the start's log line says; set once started. */
    private volatile String description = "";
    private final Counters counters = new Counters();
    private final OpenReads openReads = new OpenReads();
    private final LimitsByQueue limits;
    private final Waiters waiters;
    private final Lane[] lanes;
    private final Signals signals;
    private final Housekeeping housekeeping;
    private final MissedArrivals missedArrivals;
    private final SharedReads reads;
    private final Reports reports;
    private final ReadEnds ends;
    private final WholeQueues wholeQueues;
    private final QueueFigures figures;
    private ScheduledFuture<?> beats;
    private ScheduledFuture<?> rechecks;

    /**
     * @param source      a non-transactional data source: every transaction here is committed by its
     *                    own code, none by the container (whose cleanup of a connection the database
     *                    dropped logs an error per transaction)
     * @param maintenance runs reports and whole-queue changes off the caller's thread
     * @param timers      ends waiting reads
     */
    private SharedQueues(DataSource source, Executor maintenance, ScheduledExecutorService timers,
                         SharedSettings settings) {
        this.settings = settings;
        this.signals = new Signals(source, settings.serverId(), this::arrived);
        this.waiters = new Waiters(this::submit, queue -> signals.want(List.of(queue)), timers);
        this.reads = new SharedReads(source, counters);
        this.reports = new Reports(maintenance);
        this.housekeeping = new Housekeeping(source, settings, counters, waiters, signals);
        this.limits = new LimitsByQueue(settings.limits());
        this.missedArrivals = new MissedArrivals(source, waiters, limits);
        AtomicLong tokens = new AtomicLong();
        this.lanes = new Lane[settings.lanes()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(source, new BatchWriter(settings, counters, waiters, limits, tokens), signals,
                    settings.sync());
        }
        Maintenance changes = new Maintenance(maintenance);
        this.ends = new ReadEnds(openReads, housekeeping, reads, waiters, settings.serverId(), changes, this::submit);
        this.wholeQueues = new WholeQueues(reads, openReads, counters, limits, reports, changes);
        this.figures = new QueueFigures(reads, reports, waiters, openReads, counters, lanes, settings.sync());
    }

    /**
     * Makes the schema's extras, joins the servers, starts the lanes and the listener.
     *
     * @param scheduler runs the housekeeping and the check for arrivals nobody announced, which wait
     *                  on the database (so not on {@code timers})
     */
    public static SharedQueues start(DataSource source, ThreadFactory threads, Executor maintenance,
                                     ScheduledExecutorService scheduler, ScheduledExecutorService timers,
                                     SharedSettings settings) throws StorageException {
        SharedQueues queues = new SharedQueues(source, maintenance, timers, settings);
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

    private void arrived(String queue) {
        waiters.arrived(queue);
    }

    private Lane lane(String queue) {
        return lanes[Math.floorMod(queue.hashCode(), lanes.length)];
    }

    private void submit(SharedOp op) {
        lane(op.queue()).submit(op);
    }

    @Override
    public CompletableFuture<Void> set(String queue, long flags, long exptime, byte[] body) {
        long now = System.currentTimeMillis();
        SharedOp.Insert insert = new SharedOp.Insert(queue, flags, now, Expiry.expiresAt(settings.expiry(), exptime, now),
                body, new CompletableFuture<>());
        submit(insert);
        return insert.done();
    }

    /**
     * As {@link QueueOperations#read}, except that a read whose connection has no room for the head
     * answers "nothing" (the head's size is known only once it is read).
     */
    @Override
    public CompletableFuture<Delivery> read(String queue, ReadMode take, Object reader, Room room,
                                                     long waitMillis) {
        Take read = new Take(queue, take, reader, room, waitMillis,
                take == ReadMode.OPEN ? openReads.open(reader, queue) : null);
        submit(read);
        return read.result;
    }

    @Override
    public CompletableFuture<Void> close(String queue, Object reader) {
        return ends.close(queue, reader);
    }

    @Override
    public CompletableFuture<Void> abort(String queue, Object reader) {
        return ends.abort(queue, reader);
    }

    @Override
    public int openReads(String queue, Object reader) {
        return ends.openReads(queue, reader);
    }

    @Override
    public CompletableFuture<Void> recountOpenReads(String queue, Object reader) {
        return ends.recountOpenReads(queue, reader);
    }

    @Override
    public void readerGone(Object reader) {
        ends.readerGone(reader);
    }

    @Override
    public CompletableFuture<Void> flush(String queue) {
        return wholeQueues.flush(queue);
    }

    @Override
    public CompletableFuture<Integer> flushExpired(String queue) {
        return wholeQueues.flushExpired(queue);
    }

    @Override
    public CompletableFuture<Boolean> delete(String queue) {
        return wholeQueues.delete(queue);
    }

    @Override
    public CompletableFuture<Void> flushAll() {
        return wholeQueues.flushAll();
    }

    @Override
    public CompletableFuture<List<QueueDump>> dump(List<String> queues) {
        return figures.dump(queues);
    }

    @Override
    public CompletableFuture<List<QueueDump>> deepest(int limit) {
        return figures.deepest(limit);
    }

    @Override
    public QueueReport report(List<String> queues) {
        return figures.report(queues);
    }

    @Override
    public CompletableFuture<List<Long>> headIds(String queue, int limit) {
        return figures.headIds(queue, limit);
    }

    @Override
    public CompletableFuture<QueueTotals> totals() {
        return figures.totals();
    }

    @Override
    public CompletableFuture<Void> checkpoint() {
        return wholeQueues.checkpoint();
    }

    /** PostgreSQL recycles its write-ahead log itself (and archives it by its own settings). */
    @Override
    public CompletableFuture<Void> archive() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public QueueOperations operations() {
        return this;
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
