package org.mcq.queues.store.postgres;

import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.sql.DataSource;
import org.mcq.queues.api.CommitObserver;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.OpenReadLost;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.QueueReport;
import org.mcq.queues.api.QueueService;
import org.mcq.queues.api.QueueTotals;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.ReadTotals;
import org.mcq.queues.api.Room;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.rules.Expiry;

/**
 * The queues of a PostgreSQL database that several servers share: the database is the truth, and
 * this server keeps only what is its own (its connections' open reads and waiting reads, counters
 * not yet written). Every change is a row change committed before it is answered.
 */
public final class SharedQueues implements QueueOperations, QueueService {

    /** Queues per page of a listing of every queue: about 30 KB of {@code stats queue}. */
    static final int REPORT_PAGE = 1000;

    private final SharedSettings settings;
    /** What the start's log line says; set once started. */
    private volatile String description = "";
    private final Counters counters = new Counters();
    private final Leases leases = new Leases();
    /** Per reader and queue, its last close or abort still under way (see {@link #settleOldest}). */
    private final Map<List<Object>, CompletableFuture<Void>> settling = new ConcurrentHashMap<>();
    private final LimitsByQueue limits;
    private final Waiting waiting;
    private final Lane[] lanes;
    private final Signals signals;
    private final Housekeeping housekeeping;
    private final MissedArrivals missedArrivals;
    private final SharedReads reads;
    private final Reports reports;
    private final Executor maintenance;
    private final long startedAtMillis = System.currentTimeMillis();
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
        this.maintenance = maintenance;
        this.signals = new Signals(source, settings.serverId(), this::arrived);
        this.waiting = new Waiting(this::submit, queue -> signals.want(List.of(queue)), timers);
        this.reads = new SharedReads(source, counters);
        this.reports = new Reports(maintenance);
        this.housekeeping = new Housekeeping(source, settings, counters, waiting, signals);
        this.limits = new LimitsByQueue(settings.limits());
        this.missedArrivals = new MissedArrivals(source, waiting, limits);
        AtomicLong tokens = new AtomicLong();
        this.lanes = new Lane[settings.lanes()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(source, new BatchWriter(settings, counters, waiting, limits, tokens), signals,
                    settings.sync());
        }
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
        waiting.endAll();
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
        waiting.endAll();
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
        waiting.arrived(queue);
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
                take == ReadMode.OPEN ? leases.open(reader, queue) : null);
        submit(read);
        return read.result;
    }

    /**
     * Confirms the reader's oldest open read of the queue that it still holds: one whose row a
     * {@code flush} removed, or that its timeout gave back, is passed over. One that is gone while this
     * server was silent past most of the takeover time fails the close with {@link OpenReadLost}:
     * the others may have given it back and delivered it again.
     */
    @Override
    public CompletableFuture<Void> close(String queue, Object reader) {
        return settleOldest(queue, reader, lease -> {
            SharedOp.Confirm confirm = new SharedOp.Confirm(queue, lease, new CompletableFuture<>());
            submit(confirm);
            // gone while this server was silent: maybe delivered elsewhere, which the worker must hear
            return confirm.done().thenApply(held -> {
                if (!held && housekeeping.mayHaveLost(lease.takenAtNanos())) {
                    throw new OpenReadLost();
                }
                return held;
            });
        });
    }

    /** Gives back the reader's oldest open read of the queue that it still holds; done once committed. */
    @Override
    public CompletableFuture<Void> abort(String queue, Object reader) {
        return settleOldest(queue, reader, lease -> giveBack(lease, reader));
    }

    /**
     * Applies {@code settle} to the reader's oldest open read of the queue that it still holds, of
     * those it held when asked (one still being taken, pipelined just before, is its lane's first:
     * this waits one commit); on to the next while one turns out to hold nothing. It starts once the
     * reader's earlier settles of the queue are done: one that passes over a read another server
     * flushed asks the database first, and a later one must not take the read it is about to reach.
     */
    private CompletableFuture<Void> settleOldest(String queue, Object reader,
                                                 Function<Lease, CompletableFuture<Boolean>> settle) {
        List<CompletableFuture<Lease>> held = leases.held(reader, queue);
        if (held.isEmpty()) {
            return CompletableFuture.completedFuture(null); // nothing to settle, nothing to wait for
        }
        List<Object> key = List.of(reader, queue);
        CompletableFuture<Void> settled = settling.compute(key, (k, before) ->
                (before == null ? CompletableFuture.<Void>completedFuture(null) : before.handle((done, failure) -> null))
                        .thenCompose(ready -> settleFirst(queue, reader, held.iterator(), settle)));
        settled.whenComplete((done, failure) -> settling.remove(key, settled));
        return settled;
    }

    private CompletableFuture<Void> settleFirst(String queue, Object reader, Iterator<CompletableFuture<Lease>> held,
                                                Function<Lease, CompletableFuture<Boolean>> settle) {
        while (held.hasNext()) {
            CompletableFuture<Lease> next = held.next();
            if (leases.take(reader, queue, next, System.currentTimeMillis())) {
                return next.thenCompose(lease -> lease == null
                        ? settleFirst(queue, reader, held, settle)
                        : settle.apply(lease).thenCompose(settled -> settled
                                ? CompletableFuture.<Void>completedFuture(null) : settleFirst(queue, reader, held, settle)));
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Boolean> giveBack(Lease lease, Object reader) {
        SharedOp.Release release = new SharedOp.Release(lease.queue(), lease, reader, new CompletableFuture<>());
        submit(release);
        return release.done();
    }

    @Override
    public int openReads(String queue, Object reader) {
        return leases.count(reader, queue, System.currentTimeMillis());
    }

    /** Asks the database which of the reader's open reads of the queue are still its own, off the caller's thread. */
    @Override
    public CompletableFuture<Void> recountOpenReads(String queue, Object reader) {
        return async(() -> {
            leases.forget(reader, queue, reads.lost(leases.taken(reader, queue), settings.serverId()));
            return null;
        });
    }

    @Override
    public void readerGone(Object reader) {
        waiting.readerGone(reader);
        for (CompletableFuture<Lease> lease : leases.removeAll(reader, System.currentTimeMillis())) {
            lease.thenAccept(held -> {
                if (held != null) {
                    giveBack(held, reader);
                }
            });
        }
    }

    @Override
    public CompletableFuture<Void> flush(String queue) {
        return async(() -> {
            int removed = reads.purge(queue);
            leases.forgetQueue(queue); // confirmed by the flush: this server's connections hold them no more
            counters.consumed(queue, removed);
            return null;
        });
    }

    /** In its turn among the reports (see {@link Reports}), never shared: each removes what it finds. */
    @Override
    public CompletableFuture<Integer> flushExpired(String queue) {
        return reports.alone(() -> {
            int removed = reads.purgeExpired(queue, System.currentTimeMillis(), limits.of(queue).maxAgeMillis());
            counters.expired(queue, removed);
            return removed;
        });
    }

    @Override
    public CompletableFuture<List<QueueDump>> dump(List<String> queues) {
        List<String> names = List.copyOf(queues);
        return reports.shared(List.of("dump", names), () -> reads.dump(names, waiting.counts()));
    }

    /** The metrics' series: asked of the database, not made from a listing of every queue. */
    @Override
    public CompletableFuture<List<QueueDump>> deepest(int limit) {
        return reports.shared(List.of("deepest", limit), () -> reads.deepest(Math.max(0, limit), waiting.counts()));
    }

    /**
     * Every queue page by page, each page a report in its turn (see {@link Reports}), never shared:
     * each starts where the last one ended. A few named queues are one page.
     */
    @Override
    public QueueReport report(List<String> queues) {
        if (!queues.isEmpty()) {
            return QueueReport.of(() -> dump(queues));
        }
        return new QueueReport() {
            private String after = "";
            private boolean done;

            @Override
            public CompletableFuture<List<QueueDump>> next() {
                if (done) {
                    return CompletableFuture.completedFuture(List.of());
                }
                return reports.alone(() -> reads.dumpPage(after, REPORT_PAGE, waiting.counts())).thenApply(page -> {
                    done = page.size() < REPORT_PAGE;
                    after = page.isEmpty() ? after : page.get(page.size() - 1).name();
                    return page;
                });
            }
        };
    }

    @Override
    public CompletableFuture<List<Long>> headIds(String queue, int limit) {
        return reports.shared(List.of("head", queue, limit), () -> reads.headIds(queue, limit));
    }

    @Override
    public CompletableFuture<Boolean> delete(String queue) {
        return async(() -> {
            limits.forget(queue);
            return reads.drop(queue);
        });
    }

    @Override
    public CompletableFuture<Void> flushAll() {
        return async(() -> {
            limits.forgetAll();
            reads.dropAll();
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> checkpoint() {
        return async(() -> {
            reads.checkpoint();
            return null;
        });
    }

    /** PostgreSQL recycles its write-ahead log itself (and archives it by its own settings). */
    @Override
    public CompletableFuture<Void> archive() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<QueueTotals> totals() {
        return reports.shared("totals", reads::totals).thenApply(this::totals);
    }

    /** The database's totals with this server's own figures. */
    private QueueTotals totals(SharedReads.Totals totals) {
        long batches = 0;
        long ops = 0;
        long failures = 0;
        for (Lane lane : lanes) {
            batches += lane.batches;
            ops += lane.ops;
            failures += lane.failures;
        }
        int waiters = waiting.counts().values().stream().mapToInt(Integer::intValue).sum();
        return new QueueTotals(startedAtMillis, totals.queues(), totals.messages(), 0, settings.sync(), batches, ops, failures,
                new ReadTotals(totals.openReads(), waiters, leases.timedOut(), counters.expired.get(),
                        counters.discarded.get()));
    }

    private interface Change<T> {
        T run() throws StorageException;
    }

    private <T> CompletableFuture<T> async(Change<T> change) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return change.run();
            } catch (StorageException e) {
                throw new CompletionException(e);
            }
        }, maintenance);
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

    /**
     * Why the database refuses writes, or null: the housekeeping's write of a second ago tells (a
     * lane's failure tells only until its next batch, and an idle lane has none).
     */
    @Override
    public String description() {
        return description;
    }

    void describe(String description) {
        this.description = description;
    }

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
