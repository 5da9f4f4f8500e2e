package org.mcq.queues.store.derby;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueReport;
import org.mcq.queues.api.QueueStats;
import org.mcq.queues.api.ReadTotals;

/** What is reported of the queues: {@code dump_stats}, {@code stats queue}, the metrics' deepest, totals. */
final class QueueFigures {

    private final QueueIndex index;
    private final OpenReads openReads;
    private final Waiters waiters;
    private final AtomicLong openTimeouts;
    private final AtomicLong expired;
    private final AtomicLong discarded;
    private final MessageStore store;
    private final Bodies bodies;
    private final Executor reads;
    private final Object order;

    QueueFigures(QueueState state) {
        this.index = state.index;
        this.openReads = state.openReads;
        this.waiters = state.waiters;
        this.openTimeouts = state.openTimeouts;
        this.expired = state.expired;
        this.discarded = state.discarded;
        this.store = state.store;
        this.bodies = state.bodies;
        this.reads = state.reads;
        this.order = state.order;
    }

    /**
     * Kestrel's {@code dump_stats} of the named queues, or of all of them if none is named, by name,
     * read now on the caller's thread (the database too, for queues put aside). Every queue is held
     * at once: a listing of many is {@link #report}'s.
     */
    List<QueueDump> dump(List<String> names) {
        return QueueListing.whole(report(names));
    }

    /**
     * The figures of the named queues, or of every queue if none is named, in name order, a page at
     * a time: those in memory and those put aside, whose records are read off the caller's thread
     * (on the executor for reads). The queues' lock is held only to count open reads and waiters,
     * once: clients should not wait for a listing. Each queue's own figures are read consistently,
     * under its own lock.
     */
    QueueReport report(List<String> names) {
        QueueListing.Counts counts = counts();
        return names.isEmpty() ? QueueListing.every(index, store, reads, counts)
                : QueueListing.named(names, index, store, reads, counts);
    }

    private QueueListing.Counts counts() {
        synchronized (order) {
            return new QueueListing.Counts(openReads.countByQueue(), waiters.countByQueue());
        }
    }

    /**
     * The {@code limit} deepest queues in memory, deepest first, ties by name (the metrics' series):
     * an empty queue put aside is not among them.
     */
    List<QueueDump> deepest(int limit) {
        QueueListing.Counts counts = counts();
        long now = System.currentTimeMillis();
        return index.all().stream()
                .map(queue -> queue.dump(now, counts.openReads(queue.name()), counts.waiters(queue.name())))
                .sorted(Comparator.comparingInt(QueueDump::items).reversed().thenComparing(QueueDump::name))
                .limit(Math.max(0, limit))
                .toList();
    }

    /**
     * The ids of the first {@code limit} messages waiting in the queue, in delivery order (not
     * those read open); empty if there is no such queue.
     */
    List<Long> headIds(String name, int limit) {
        synchronized (order) {
            MessageQueue queue = index.get(name);
            return queue == null ? List.of() : queue.headIds(limit);
        }
    }

    /** Every queue's {@code stats queue} figures, by name, read now (the records of those put aside too). */
    List<QueueStats> stats() {
        return dump(List.of()).stream()
                .map(queue -> new QueueStats(queue.name(), queue.totalItems(), queue.consumed(), queue.items()))
                .toList();
    }

    /** Messages waiting in all queues. */
    long depth() {
        return index.depth();
    }

    /** Every queue, those put aside included. */
    long queueCount() {
        return index.count();
    }

    /** The queues in memory: those holding messages, and those used lately. */
    int queuesInMemory() {
        return index.size();
    }

    ReadTotals readTotals() {
        synchronized (order) {
            return new ReadTotals(openReads.total(), waiters.total(), openTimeouts.get(), expired.get(),
                    discarded.get());
        }
    }

    long cachedBytes() {
        return bodies.used();
    }
}
