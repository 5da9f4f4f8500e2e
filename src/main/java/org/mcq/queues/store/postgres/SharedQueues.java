package org.mcq.queues.store.postgres;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.QueueReport;
import org.mcq.queues.api.QueueTotals;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;
import org.mcq.queues.rules.Expiry;

/**
 * The queues of a PostgreSQL database that several servers share: the database is the truth, and
 * this server keeps only what is its own (its connections' open reads and waiting reads, counters
 * not yet written). Every change is a row change committed before it is answered.
 *
 * <p>The lanes, the listener and the housekeeping are built here, with the operations, because they
 * and the operations call each other (a waiting read is retried through its queue's lane, an
 * announced arrival wakes the reads waiting for it); {@link PostgresQueues} starts, watches and stops
 * them, as {@code DerbyQueues} does the writer of its {@code QueueSet}.
 */
public final class SharedQueues implements QueueOperations {

    private final SharedSettings settings;
    private final Counters counters;
    private final OpenReads openReads = new OpenReads();
    private final LimitsByQueue limits;
    // what PostgresQueues starts, stops and asks after
    final Waiters waiters;
    final Lane[] lanes;
    final Signals signals;
    final Housekeeping housekeeping;
    final MissedArrivals missedArrivals;
    final SharedReads reads;
    private final Reports reports;
    private final ReadEnds ends;
    private final WholeQueues wholeQueues;
    private final QueueFigures figures;

    /**
     * @param source      a non-transactional data source: every transaction here is committed by its
     *                    own code, none by the container (whose cleanup of a connection the database
     *                    dropped logs an error per transaction)
     * @param maintenance runs reports and whole-queue changes off the caller's thread
     * @param timers      ends waiting reads
     */
    SharedQueues(DataSource source, Executor maintenance, ScheduledExecutorService timers,
                 SharedSettings settings) {
        this.counters = new Counters(settings.fanout());
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
    public void endWaits(Object reader) {
        ends.endWaits(reader);
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
}
