package org.mcq.queues.store.derby;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.QueueReport;
import org.mcq.queues.api.QueueStats;
import org.mcq.queues.api.QueueTotals;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.ReadTotals;
import org.mcq.queues.api.Room;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.rules.QueueLimits;

/**
 * The queue operations on this server's own Derby database, and the order they take effect in: the
 * {@link QueueIndex} made durable through the {@link GroupCommit} writer, with bodies kept or read
 * back by {@link Bodies}. Each kind of operation has its class ({@link Appends}, {@link Reads},
 * {@link ReadEnds}, {@link WholeQueues}, {@link IdleQueues}, {@link QueueFigures}), all on one
 * {@link QueueState} and its lock; this is where they meet the contract. Reports come from the
 * in-memory index, with the records of queues put aside read on the reads' executor.
 *
 * <p>In sync mode a stored message becomes visible to consumers only once its batch is on disk, so
 * nobody can consume what a crash could still lose, and {@code STORED} is only answered then. A
 * consumed message leaves the index at once (two consumers never get the same one) and its deletion
 * is on disk before it is sent. In no-sync mode every effect is immediate and the writer catches up,
 * except while the writer is {@linkplain GroupCommit#holding holding} (writes fail, or have just
 * failed): then sets, deletes and flushes of everything take effect once written, as in sync mode,
 * and fail with their batch. Once the writer stops, operations are refused rather than acknowledged
 * and dropped.
 */
public final class QueueSet implements QueueOperations {

    /**
     * @param sync                   {@code STORED} once on disk, or at once (MemcacheQ's -N)
     * @param flushIntervalMillis    in no-sync mode, how often the writer commits
     * @param memoryBudgetBytes      bodies kept on the heap; beyond it they are read back from disk
     * @param countersIntervalMillis queue counters written at most this often (0: only at stop)
     * @param openTimeoutMillis      an open read held longer goes back to its queue (0: never)
     * @param expiry                 whether a {@code set}'s exptime is honoured (MemcacheQ ignored it)
     * @param idleDropMillis         an empty queue unused this long is dropped with its counters (0: never)
     * @param fanout                 whether a set copies to the queue's fanout subscribers ({@code Fanout})
     */
    public record Settings(boolean sync, long flushIntervalMillis, long memoryBudgetBytes, long countersIntervalMillis,
                           long openTimeoutMillis, boolean expiry, long idleDropMillis, boolean fanout) {

        /** Without fanout. */
        public Settings(boolean sync, long flushIntervalMillis, long memoryBudgetBytes, long countersIntervalMillis,
                        long openTimeoutMillis, boolean expiry, long idleDropMillis) {
            this(sync, flushIntervalMillis, memoryBudgetBytes, countersIntervalMillis, openTimeoutMillis, expiry,
                    idleDropMillis, false);
        }
    }

    private interface Maintenance {
        void run() throws StorageException;
    }

    private final QueueState state;
    private final Reads reads;
    private final Appends appends;
    private final ReadEnds ends;
    private final WholeQueues wholeQueues;
    private final IdleQueues idle;
    private final QueueFigures figures;
    private final long startedAtMillis = System.currentTimeMillis();

    /**
     * @param completions runs the continuations of committed operations (see {@link GroupCommit})
     * @param reads       reads evicted bodies back from the store, off the consumer's thread; runs
     *                    checkpoints and the records of reports
     * @param timers      ends waiting reads whose time is up (no thread waits for them)
     * @param limits      each queue's limits, by name
     */
    public QueueSet(MessageStore store, Executor completions, Executor reads, ScheduledExecutorService timers,
                    Settings settings, Function<String, QueueLimits> limits) {
        this.state = new QueueState(store, completions, reads, timers, settings, limits, this::countersWritten);
        this.reads = new Reads(state);
        this.appends = new Appends(state, this.reads);
        this.ends = new ReadEnds(state, this.reads);
        this.wholeQueues = new WholeQueues(state);
        this.idle = new IdleQueues(state, wholeQueues);
        this.figures = new QueueFigures(state);
    }

    /** Writer thread, after counters were written (never before the constructor is done). */
    private void countersWritten() {
        idle.putAside();
    }

    /** The writer, whose thread the caller runs. */
    public GroupCommit writer() {
        return state.writer;
    }

    /** Rebuilds the index from the store (the queues holding messages); bodies are read back lazily. */
    public void load() throws StorageException {
        state.index.load();
    }

    @Override
    public CompletableFuture<Void> set(String queue, long flags, long exptime, byte[] body) {
        return appends.set(queue, flags, exptime, body);
    }

    @Override
    public CompletableFuture<Delivery> read(String queue, ReadMode mode, Object reader, Room room, long waitMillis) {
        return reads.read(queue, mode, reader, room, waitMillis);
    }

    /** MemcacheQ's pop, with no reader and no wait. */
    public CompletableFuture<Delivery> get(String queue, Room room) {
        return reads.get(queue, room);
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

    /** This server's own open reads are exact: nobody else takes them. */
    @Override
    public CompletableFuture<Void> recountOpenReads(String queue, Object reader) {
        return QueueState.DONE;
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
        return CompletableFuture.completedFuture(wholeQueues.flushExpired(queue));
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
        return figures.report(queues).whole(); // records of queues put aside are read off the caller's thread
    }

    @Override
    public QueueReport report(List<String> queues) {
        return figures.report(queues);
    }

    @Override
    public CompletableFuture<List<QueueDump>> deepest(int limit) {
        return CompletableFuture.completedFuture(figures.deepest(limit));
    }

    @Override
    public CompletableFuture<List<Long>> headIds(String queue, int limit) {
        return CompletableFuture.completedFuture(figures.headIds(queue, limit));
    }

    @Override
    public CompletableFuture<Void> checkpoint() {
        return maintain(state.store::checkpoint);
    }

    @Override
    public CompletableFuture<Void> archive() {
        return maintain(state.store::archive);
    }

    /** A checkpoint may take seconds: it runs on the reads' executor. */
    private CompletableFuture<Void> maintain(Maintenance task) {
        return CompletableFuture.runAsync(() -> {
            try {
                task.run();
            } catch (StorageException e) {
                throw new CompletionException(e);
            }
        }, state.reads);
    }

    @Override
    public CompletableFuture<QueueTotals> totals() {
        GroupCommit writer = state.writer;
        int count = (int) Math.min(Integer.MAX_VALUE, figures.queueCount());
        return CompletableFuture.completedFuture(new QueueTotals(startedAtMillis, count, figures.depth(),
                figures.cachedBytes(), writer.sync(), writer.batches(), writer.writtenOps(), writer.failedWrites(),
                figures.readTotals()));
    }

    /** Ends every waiting read with nothing (the server stops: no deadline will end them). */
    public void stopWaiting() {
        ends.stopWaiting();
    }

    /** Open reads held longer than the visibility timeout go back to their queues; returns how many. */
    public int returnStaleOpenReads() {
        return ends.returnStaleOpenReads();
    }

    /** The counters timer: see {@link IdleQueues#writeCounters}. */
    public void writeCounters() {
        idle.writeCounters();
    }

    /** The idle sweep: see {@link IdleQueues#dropIdleQueues}; yields how many were dropped. */
    public int dropIdleQueues() {
        return idle.dropIdleQueues();
    }

    /** Every queue's {@code stats queue} figures, by name, read now (the records of those put aside too). */
    public List<QueueStats> stats() {
        return figures.stats();
    }

    /** Messages waiting in all queues. */
    public long depth() {
        return figures.depth();
    }

    /** Every queue, those put aside included. */
    public long queueCount() {
        return figures.queueCount();
    }

    /** The queues in memory: those holding messages, and those used lately. */
    public int queuesInMemory() {
        return figures.queuesInMemory();
    }

    public ReadTotals readTotals() {
        return figures.readTotals();
    }

    /** Bodies held on the heap, in bytes. */
    public long cachedBytes() {
        return figures.cachedBytes();
    }
}
