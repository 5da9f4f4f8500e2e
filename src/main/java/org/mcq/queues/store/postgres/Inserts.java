package org.mcq.queues.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mcq.queues.api.QueueFull;
import org.mcq.queues.rules.Admission;
import org.mcq.queues.rules.QueueLimits;

/**
 * A batch's sets, first in its transaction so the reads behind them in the batch can take them; into
 * a bounded queue only what its room, as its rows stand in that transaction, lets in.
 */
final class Inserts {

    private final Counters counters;
    private final LimitsByQueue limits;

    Inserts(Counters counters, LimitsByQueue limits) {
        this.counters = counters;
        this.limits = limits;
    }

    void insert(Connection c, Map<String, List<SharedOp.Insert>> byQueue, BatchWriter.Outcome outcome)
            throws SQLException {
        lockBounded(c, byQueue.keySet());
        try (PreparedStatement insert = c.prepareStatement(SharedSql.INSERT)) {
            for (Map.Entry<String, List<SharedOp.Insert>> queue : byQueue.entrySet()) {
                QueueLimits bounds = limits.of(queue.getKey());
                Capacity capacity = bounds.bounded() ? new Capacity(c, queue.getKey(), bounds, outcome) : null;
                List<SharedOp.Insert> accepted = capacity != null ? capacity.admit(queue.getValue()) : queue.getValue();
                for (SharedOp.Insert op : accepted) {
                    bind(insert, op);
                    insert.addBatch();
                    outcome.answers.add(() -> op.done().complete(null));
                }
                // what was answered STORED: the batch's own sets dropped for a later one were, and count as discarded
                int stored = accepted.size() + (capacity == null ? 0 : capacity.ownDropped);
                if (stored > 0) {
                    outcome.answers.add(() -> counters.stored(queue.getKey(), stored));
                }
                if (!accepted.isEmpty()) {
                    outcome.arrivals.add(queue.getKey());
                }
            }
            insert.executeBatch();
        }
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
        private long messages;
        private long bytes;
        /** Stored rows read from the head and not yet dropped, {id, size}; and those dropped, to delete. */
        private final ArrayDeque<long[]> head = new ArrayDeque<>();
        private final List<Long> dropping = new ArrayList<>();
        private boolean headEmpty;
        private int discarded;
        /** Of those, this batch's own sets. */
        int ownDropped;

        Capacity(Connection c, String queue, QueueLimits limits, BatchWriter.Outcome outcome) throws SQLException {
            this.c = c;
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
                } else {
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
