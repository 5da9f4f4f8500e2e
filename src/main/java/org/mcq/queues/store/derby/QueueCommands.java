package org.mcq.queues.store.derby;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.QueueReport;
import org.mcq.queues.api.QueueTotals;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;
import org.mcq.queues.api.StorageException;

/**
 * {@link QueueOperations} on the queues of this server and their store. Reports come from the
 * in-memory index: their stages are complete when returned.
 */
final class QueueCommands implements QueueOperations {

    private interface Maintenance {
        void run() throws StorageException;
    }

    private final QueueSet queues;
    private final MessageStore store;
    private final Executor maintenance;
    private final long startedAtMillis;

    QueueCommands(QueueSet queues, MessageStore store, Executor maintenance, long startedAtMillis) {
        this.queues = queues;
        this.store = store;
        this.maintenance = maintenance;
        this.startedAtMillis = startedAtMillis;
    }

    @Override
    public CompletableFuture<Void> set(String queue, long flags, long exptime, byte[] body) {
        return queues.set(queue, flags, exptime, body);
    }

    @Override
    public CompletableFuture<Void> flush(String queue) {
        return queues.flush(queue);
    }

    @Override
    public CompletableFuture<Integer> flushExpired(String queue) {
        return CompletableFuture.completedFuture(queues.flushExpired(queue));
    }

    @Override
    public CompletableFuture<List<QueueDump>> dump(List<String> names) {
        return queues.report(names).whole(); // records of queues put aside are read off the caller's thread
    }

    @Override
    public QueueReport report(List<String> names) {
        return queues.report(names);
    }

    @Override
    public CompletableFuture<List<QueueDump>> deepest(int limit) {
        return CompletableFuture.completedFuture(queues.deepest(limit));
    }

    @Override
    public CompletableFuture<Delivery> read(String queue, ReadMode take, Object reader,
                                                     Room room, long waitMillis) {
        return queues.read(queue, take, reader, room, waitMillis);
    }

    @Override
    public CompletableFuture<Void> close(String queue, Object reader) {
        return queues.close(queue, reader);
    }

    @Override
    public CompletableFuture<Void> abort(String queue, Object reader) {
        return queues.abort(queue, reader);
    }

    @Override
    public int openReads(String queue, Object reader) {
        return queues.openReads(queue, reader);
    }

    /** This server's own open reads are exact: nobody else takes them. */
    @Override
    public CompletableFuture<Void> recountOpenReads(String queue, Object reader) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void readerGone(Object reader) {
        queues.readerGone(reader);
    }

    @Override
    public CompletableFuture<List<Long>> headIds(String queue, int limit) {
        return CompletableFuture.completedFuture(queues.headIds(queue, limit));
    }

    @Override
    public CompletableFuture<Boolean> delete(String queue) {
        return queues.delete(queue);
    }

    @Override
    public CompletableFuture<Void> flushAll() {
        return queues.flushAll();
    }

    @Override
    public CompletableFuture<Void> checkpoint() {
        return run(store::checkpoint);
    }

    @Override
    public CompletableFuture<Void> archive() {
        return run(store::archive);
    }

    /** A checkpoint may take seconds: it runs on the maintenance executor. */
    private CompletableFuture<Void> run(Maintenance task) {
        return CompletableFuture.runAsync(() -> {
            try {
                task.run();
            } catch (StorageException e) {
                throw new CompletionException(e);
            }
        }, maintenance);
    }

    @Override
    public CompletableFuture<QueueTotals> totals() {
        GroupCommit writer = queues.writer();
        int count = (int) Math.min(Integer.MAX_VALUE, queues.queueCount());
        return CompletableFuture.completedFuture(new QueueTotals(startedAtMillis, count, queues.depth(),
                queues.cachedBytes(), writer.sync(), writer.batches(), writer.writtenOps(), writer.failedWrites(),
                queues.readTotals()));
    }
}
