package org.mcq.queues.api;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Every queue operation a protocol front end asks for: the one route from the bridge bean to the
 * queues, called directly (not through the EJB container, whose per-call work measured as a third
 * of a command's CPU). Thread-safe; never blocks, in every implementation: the caller may be a
 * selector thread, which serves every connection of its selector. Each stage completes when its
 * answer may be given (in sync mode, once the effect is on disk). Reports too are stages: the
 * shared store asks its database for them on its maintenance executor (and completes them there),
 * the Derby store answers from memory (completed at once). Lives as long as the {@code Queues} bean.
 */
public interface QueueOperations {

    /** What {@link #read} yields, as this very instance, when the consumer had no room for the head message. */
    CompletableFuture<Delivery> NO_ROOM = CompletableFuture.completedFuture(null);

    /**
     * Appends a message; completes when {@code STORED} may be answered, fails if it was not stored
     * ({@link QueueFull} when the queue refuses more). {@code exptime} counts only with
     * expiry on.
     */
    CompletableFuture<Void> set(String queue, long flags, long exptime, byte[] body);

    /**
     * Reads the head as {@code mode} says for {@code reader} (the connection, by identity), waiting
     * up to {@code waitMillis} for a message if there is none, as long as asked (the caller applies
     * {@code mcq.max.wait.ms}: see {@code MemcacheCommands}). {@code room} is asked for the body's
     * size before the message is taken. The stage yields null when there is none, {@link #NO_ROOM}
     * when {@code room} refused (nothing was taken); a failed stage left the message queued and gave
     * its room back.
     */
    CompletableFuture<Delivery> read(String queue, ReadMode mode, Object reader, Room room, long waitMillis);

    /**
     * Confirms the reader's oldest open read of the queue that is still held (one that a {@code flush},
     * its visibility timeout or another server took from it is passed over); completes when that may
     * be answered.
     */
    CompletableFuture<Void> close(String queue, Object reader);

    /**
     * Gives the reader's oldest open read of the queue back to the queue's head; completes once any
     * reader may get it again.
     */
    CompletableFuture<Void> abort(String queue, Object reader);

    /** How many reads of the queue the reader holds open, as far as this server knows without asking. */
    int openReads(String queue, Object reader);

    /**
     * Makes {@link #openReads} exact for the reader's reads of the queue: forgets those it no longer
     * holds (a shared store's reads that another server flushed or took over); completes when done,
     * off the caller's thread if it must ask the database. Asked only before refusing an open.
     */
    CompletableFuture<Void> recountOpenReads(String queue, Object reader);

    /** The reader's connection is gone: its open reads go back, its waiting reads end. */
    void readerGone(Object reader);

    /**
     * The reader's input ended (its client closed, or half-closed, the connection; its commands
     * already read still run): its reads waiting for a message end now, with none. Its open reads
     * stay: a close or an abort it sent before the end may still be run. See {@code onInputEnd} of
     * the listener.
     */
    void endWaits(Object reader);

    /** Empties a queue, confirming its open reads (Kestrel's {@code flush}). */
    CompletableFuture<Void> flush(String queue);

    /** Removes the queue's messages that may no longer be delivered; yields how many. */
    CompletableFuture<Integer> flushExpired(String queue);

    /**
     * Kestrel's {@code dump_stats} for a few queues: the named ones, or all if none is named, by name,
     * held whole. Many queues are {@link #report}'s.
     */
    CompletableFuture<List<QueueDump>> dump(List<String> queues);

    /**
     * The figures of the named queues, or of every queue if none is named, in name order, a page at
     * a time: {@code dump_stats} and {@code stats queue} are written from it as it is read, so
     * millions of queues are never held at once. Pages are asked for on a client's thread: an
     * implementation that reads the database for one does so elsewhere and completes it there. This
     * default holds {@link #dump}'s list.
     */
    default QueueReport report(List<String> queues) {
        return QueueReport.of(() -> dump(queues));
    }

    /**
     * The {@code limit} deepest queues, deepest first, ties by name: those the metrics give series
     * of their own. An implementation may leave out empty queues it holds no figures of in memory.
     */
    default CompletableFuture<List<QueueDump>> deepest(int limit) {
        return dump(List.of()).thenApply(queues -> queues.stream()
                .sorted(Comparator.comparingInt(QueueDump::items).reversed()
                        .thenComparing(QueueDump::name))
                .limit(Math.max(0, limit))
                .toList());
    }

    /** The ids of the queue's first {@code limit} waiting messages, in delivery order. */
    CompletableFuture<List<Long>> headIds(String queue, int limit);

    /** Drops a queue with its messages; yields whether it existed. */
    CompletableFuture<Boolean> delete(String queue);

    /** Drops every queue. */
    CompletableFuture<Void> flushAll();

    /** A database checkpoint (MemcacheQ's {@code db_checkpoint}), off the caller's thread. */
    CompletableFuture<Void> checkpoint();

    /** Lets the database drop logs it no longer needs (MemcacheQ's {@code db_archive}), off the caller's thread. */
    CompletableFuture<Void> archive();


    /** What {@code stats} reports of the queues. */
    CompletableFuture<QueueTotals> totals();
}
