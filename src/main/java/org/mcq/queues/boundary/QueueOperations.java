package org.mcq.queues.boundary;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.mcq.queues.control.QueueReport;
import org.mcq.queues.control.QueueSet;

/**
 * Every queue operation a protocol front end asks for: the one route from the bridge bean to the
 * queues, called directly (not through the EJB container, whose per-call work measured as a third
 * of a command's CPU). Thread-safe; never blocks: each stage completes when its answer may be given
 * (in sync mode, once the effect is on disk). Lives as long as the {@link Queues} bean.
 */
public interface QueueOperations {

    /** What {@code stats} reports of the queues. */
    record Totals(long startedAtMillis, int queues, long messages, long cachedBytes, boolean sync, long batches,
                  long committedOps, long failedWrites, QueueSet.ReadTotals reads) {
    }

    /**
     * Appends a message; completes when {@code STORED} may be answered, fails if it was not stored
     * ({@link QueueSet.QueueFull} when the queue refuses more). {@code exptime} counts only with
     * expiry on.
     */
    CompletableFuture<Void> set(String queue, long flags, long exptime, byte[] body);

    /**
     * Reads the head as {@code take} says for {@code reader} (the connection, by identity), waiting
     * up to {@code waitMillis} for a message if there is none; see {@link QueueSet#read}. The
     * stage yields null when there is none, {@link QueueSet#NO_ROOM} when {@code room} refused
     * (nothing was taken); a failed stage left the message queued and gave its room back.
     */
    CompletableFuture<QueueSet.Delivery> read(String queue, QueueSet.Take take, Object reader, QueueSet.Room room,
                                              long waitMillis);

    /** Confirms the reader's oldest open read of the queue; completes when that may be answered. */
    CompletableFuture<Void> close(String queue, Object reader);

    /** Gives the reader's oldest open read of the queue back to the queue's head. */
    void abort(String queue, Object reader);

    /** How many reads of the queue the reader holds open. */
    int openReads(String queue, Object reader);

    /** The reader's connection is gone: its open reads go back, its waiting reads end. */
    void readerGone(Object reader);

    /** Empties a queue, confirming its open reads (Kestrel's {@code flush}). */
    CompletableFuture<Void> flush(String queue);

    /** Removes the queue's messages that may no longer be delivered; how many. */
    int flushExpired(String queue);

    /**
     * Kestrel's {@code dump_stats}: the named queues, or all if none is named, by name, held at once
     * and read on the caller's thread (which may read the database). Many queues are
     * {@link #report}'s.
     */
    List<QueueSet.QueueDump> dump(List<String> queues);

    /**
     * The figures of the named queues, or of every queue if none is named, in name order, a page at
     * a time: {@code dump_stats} and {@code stats queue} are written from it as it is read, so
     * millions of queues are never held at once. The first page is asked for on a client's thread:
     * an implementation that reads the database for it does so elsewhere. This default holds
     * {@link #dump}'s list.
     */
    default QueueReport report(List<String> queues) {
        return QueueReport.of(dump(queues));
    }

    /**
     * The {@code limit} deepest queues, deepest first, ties by name: those the metrics give series
     * of their own. An implementation may leave out empty queues it holds no figures of in memory.
     */
    default List<QueueSet.QueueDump> deepest(int limit) {
        return dump(List.of()).stream()
                .sorted(Comparator.comparingInt(QueueSet.QueueDump::items).reversed()
                        .thenComparing(QueueSet.QueueDump::name))
                .limit(Math.max(0, limit))
                .toList();
    }

    /** The ids of the queue's first {@code limit} waiting messages, in delivery order. */
    List<Long> headIds(String queue, int limit);

    /** Drops a queue with its messages; yields whether it existed. */
    CompletableFuture<Boolean> delete(String queue);

    /** Drops every queue. */
    CompletableFuture<Void> flushAll();

    /** A database checkpoint (MemcacheQ's {@code db_checkpoint}), off the caller's thread. */
    CompletableFuture<Void> checkpoint();

    /** Lets the database drop logs it no longer needs (MemcacheQ's {@code db_archive}), off the caller's thread. */
    CompletableFuture<Void> archive();

    /** One entry per queue, by name, held at once ({@link #report} lists many). */
    List<QueueSet.QueueStats> queueStats();

    Totals totals();
}
