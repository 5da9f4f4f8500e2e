package org.mcq.queues.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.mcq.queues.api.QueueFull;
import org.mcq.queues.rules.Admission;
import org.mcq.queues.rules.Fanout;
import org.mcq.queues.rules.QueueLimits;

/**
 * A batch's sets, first in its transaction so the reads behind them in the batch can take them; into
 * a bounded queue only what its room, as its rows stand in that transaction, lets in; with their
 * fanout copies, in the same transaction.
 */
final class Inserts {

    private final Counters counters;
    private final LimitsByQueue limits;
    private final boolean fanout;

    /** @param fanout whether a set copies to the queue's fanout subscribers */
    Inserts(Counters counters, LimitsByQueue limits, boolean fanout) {
        this.counters = counters;
        this.limits = limits;
        this.fanout = fanout;
    }

    /**
     * The batch's sets, each queue's in order, and a copy of each set a queue stored for each of its
     * fanout subscribers that exists as this transaction sees it. A copy is admitted as its
     * subscriber's limits say: one a full subscriber refuses counts as discarded there, and the set
     * is answered as its own queue stored it.
     */
    void insert(Connection c, Map<String, List<SharedOp.Insert>> byQueue, BatchWriter.Outcome outcome)
            throws SQLException {
        Map<String, List<String>> subscribers = fanout ? subscribers(c, byQueue.keySet()) : Map.of();
        if (subscribers.isEmpty()) { // each queue's sets alone: the common case
            lockBounded(c, byQueue.keySet());
            try (PreparedStatement insert = c.prepareStatement(SharedSql.INSERT)) {
                for (Map.Entry<String, List<SharedOp.Insert>> queue : byQueue.entrySet()) {
                    store(c, insert, queue.getKey(), queue.getValue(), Set.of(), outcome);
                }
                insert.executeBatch();
            }
            return;
        }
        // the queues that may have subscribers first: their copies join the subscribers' own sets
        Map<String, List<SharedOp.Insert>> ordered = new LinkedHashMap<>();
        byQueue.forEach((queue, sets) -> {
            if (Fanout.mayHaveSubscribers(queue)) {
                ordered.put(queue, sets);
            }
        });
        Map<String, List<SharedOp.Insert>> subscribed = new TreeMap<>();
        byQueue.forEach((queue, sets) -> {
            if (!Fanout.mayHaveSubscribers(queue)) {
                subscribed.put(queue, new ArrayList<>(sets));
            }
        });
        subscribers.values().forEach(names -> names.forEach(name -> subscribed.computeIfAbsent(name, n -> new ArrayList<>())));
        Set<String> all = new TreeSet<>(ordered.keySet());
        all.addAll(subscribed.keySet());
        lockBounded(c, all);
        Set<SharedOp.Insert> copies = Collections.newSetFromMap(new IdentityHashMap<>());
        try (PreparedStatement insert = c.prepareStatement(SharedSql.INSERT)) {
            for (Map.Entry<String, List<SharedOp.Insert>> queue : ordered.entrySet()) {
                List<SharedOp.Insert> stored = store(c, insert, queue.getKey(), queue.getValue(), copies, outcome);
                for (String subscriber : subscribers.getOrDefault(queue.getKey(), List.of())) {
                    for (SharedOp.Insert set : stored) {
                        SharedOp.Insert copy = new SharedOp.Insert(subscriber, set.flags(), set.storedAt(),
                                set.expiresAt(), set.body(), new CompletableFuture<>());
                        copies.add(copy);
                        subscribed.get(subscriber).add(copy);
                    }
                }
            }
            for (Map.Entry<String, List<SharedOp.Insert>> queue : subscribed.entrySet()) {
                store(c, insert, queue.getKey(), queue.getValue(), copies, outcome);
            }
            insert.executeBatch();
        }
    }

    /**
     * Adds one queue's sets to the batch, as its room lets in; yields those answered {@code STORED},
     * in order: those written, and the batch's own dropped for a later one (they were stored, then
     * dropped: their copies are not).
     */
    private List<SharedOp.Insert> store(Connection c, PreparedStatement insert, String queue, List<SharedOp.Insert> sets,
                                        Set<SharedOp.Insert> copies, BatchWriter.Outcome outcome) throws SQLException {
        QueueLimits bounds = limits.of(queue);
        Capacity capacity = bounds.bounded() ? new Capacity(c, queue, bounds, copies, outcome) : null;
        List<SharedOp.Insert> accepted = capacity != null ? capacity.admit(sets) : sets;
        for (SharedOp.Insert op : accepted) {
            bind(insert, op);
            insert.addBatch();
            outcome.answers.add(() -> op.done().complete(null));
        }
        // what was answered STORED: the batch's own sets dropped for a later one were, and count as discarded
        int stored = accepted.size() + (capacity == null ? 0 : capacity.ownDropped + capacity.copiesRefused);
        if (stored > 0) {
            outcome.answers.add(() -> counters.stored(queue, stored));
        }
        if (!accepted.isEmpty()) {
            outcome.arrivals.add(queue);
        }
        if (capacity == null || capacity.refused.isEmpty()) {
            return sets;
        }
        return sets.stream().filter(set -> !capacity.refused.contains(set)).toList();
    }

    /**
     * Of the named queues, the fanout subscribers of those that may have some, by queue; none, and
     * no statement, when no name may.
     */
    private static Map<String, List<String>> subscribers(Connection c, Set<String> queues) throws SQLException {
        String[] parents = queues.stream().filter(Fanout::mayHaveSubscribers).toArray(String[]::new);
        if (parents.length == 0) {
            return Map.of();
        }
        Map<String, List<String>> found = new HashMap<>();
        try (PreparedStatement query = c.prepareStatement(SharedSql.SUBSCRIBERS)) {
            query.setArray(1, c.createArrayOf("varchar", parents));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    found.computeIfAbsent(rs.getString(1), q -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return found;
    }

    /**
     * Takes the bounded queues' locks for this transaction, so servers storing into one at once count
     * its room one after the other (each sees the others' committed rows), in name order, so two
     * batches never wait for each other's.
     */
    private void lockBounded(Connection c, Set<String> queues) throws SQLException {
        List<String> bounded = queues.stream().filter(queue -> limits.of(queue).bounded()).sorted().toList();
        if (bounded.isEmpty()) {
            return;
        }
        try (PreparedStatement lock = c.prepareStatement(SharedSql.LOCK_QUEUE)) {
            for (String queue : bounded) {
                lock.setString(1, queue);
                lock.executeQuery().close();
            }
        }
    }

    private static void bind(PreparedStatement insert, SharedOp.Insert op) throws SQLException {
        insert.setString(1, op.queue());
        insert.setLong(2, op.flags());
        insert.setBytes(3, op.body());
        insert.setLong(4, op.storedAt());
        insert.setLong(5, op.expiresAt());
    }

    /**
     * A bounded queue's room, as its rows stand in this transaction: sets that fit, or that its
     * oldest make room for ({@link Admission}): its oldest stored rows first, then this batch's own
     * earliest sets.
     */
    private final class Capacity implements Admission.Occupancy<SQLException> {
        private static final int HEAD_CHUNK = 16;
        private final Connection c;
        private final String queue;
        private final QueueLimits limits;
        private final List<SharedOp.Insert> accepted = new ArrayList<>();
        private final BatchWriter.Outcome outcome;
        /** The batch's fanout copies, by identity: nobody waits for their answer. */
        private final Set<SharedOp.Insert> copies;
        private long messages;
        private long bytes;
        /** Stored rows read from the head and not yet dropped, {id, size}; and those dropped, to delete. */
        private final ArrayDeque<long[]> head = new ArrayDeque<>();
        private final List<Long> dropping = new ArrayList<>();
        private boolean headEmpty;
        private int discarded;
        /** Of those, this batch's own sets. */
        int ownDropped;
        /** Copies refused: counted as stored and discarded, as those dropped for room are. */
        int copiesRefused;
        /** The sets it refused, by identity. */
        final Set<SharedOp.Insert> refused = Collections.newSetFromMap(new IdentityHashMap<>());

        Capacity(Connection c, String queue, QueueLimits limits, Set<SharedOp.Insert> copies,
                 BatchWriter.Outcome outcome) throws SQLException {
            this.c = c;
            this.copies = copies;
            this.queue = queue;
            this.limits = limits;
            this.outcome = outcome;
            try (PreparedStatement size = c.prepareStatement(SharedSql.SIZE)) {
                size.setString(1, queue);
                try (ResultSet rs = size.executeQuery()) {
                    rs.next();
                    messages = rs.getLong(1);
                    bytes = rs.getLong(2);
                }
            }
        }

        List<SharedOp.Insert> admit(List<SharedOp.Insert> sets) throws SQLException {
            for (SharedOp.Insert set : sets) {
                int size = set.body().length;
                if (Admission.admit(limits, this, size)) {
                    accepted.add(set);
                    messages++;
                    bytes += size;
                } else if (copies.contains(set)) {
                    refused.add(set);
                    copiesRefused++;
                    discarded++;
                } else {
                    refused.add(set);
                    outcome.answers.add(() -> set.done().completeExceptionally(new QueueFull()));
                }
            }
            if (!dropping.isEmpty()) {
                QueueHeads.discard(c, dropping);
            }
            if (discarded > 0) {
                int count = discarded;
                outcome.answers.add(() -> counters.discarded(queue, count));
            }
            return accepted;
        }

        @Override
        public long messages() {
            return messages;
        }

        @Override
        public long bytes() {
            return bytes;
        }

        @Override
        public boolean dropOldest() throws SQLException {
            if (head.isEmpty() && !headEmpty) {
                if (!dropping.isEmpty()) {
                    QueueHeads.discard(c, dropping); // before the head is read again: it would find them
                    dropping.clear();
                }
                head.addAll(QueueHeads.head(c, queue, HEAD_CHUNK));
                headEmpty = head.isEmpty();
            }
            long[] row = head.poll();
            if (row != null) {
                dropping.add(row[0]);
                bytes -= row[1];
            } else if (!accepted.isEmpty()) {
                SharedOp.Insert oldest = accepted.remove(0);
                bytes -= oldest.body().length;
                ownDropped++;
                outcome.answers.add(() -> oldest.done().complete(null)); // stored, and dropped as the oldest
            } else {
                return false;
            }
            messages--;
            discarded++;
            return true;
        }
    }
}
