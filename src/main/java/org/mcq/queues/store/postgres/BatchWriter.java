package org.mcq.queues.store.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.QueueFull;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;
import org.mcq.queues.rules.Admission;
import org.mcq.queues.rules.Expiry;
import org.mcq.queues.rules.QueueLimits;

/**
 * Writes one batch of a lane in one transaction: sets, then confirmations and give-backs, then
 * reads, so a read sees what came before it in the batch. Nothing is answered before the commit;
 * then each operation is completed, local waiters are woken and the other servers told.
 */
final class BatchWriter {

    /** What a committed batch leaves to do: its answers, and the queues it brought messages to. */
    record Committed(List<Runnable> answers, Set<String> arrivals, long commitNanos) {
    }

    /** What the batch did, applied once it is committed. */
    private static final class Outcome {
        final List<Runnable> answers = new ArrayList<>();
        final TreeSet<String> arrivals = new TreeSet<>();
        final List<Take> empty = new ArrayList<>();
        /** Room reserved in readers' memory, given back if the batch fails. */
        final List<Runnable> unreserve = new ArrayList<>();
    }

    private final SharedSettings settings;
    private final Counters counters;
    private final Waiters waiters;
    private final LimitsByQueue limits;
    /** Lease tokens of this server: with its id, they tell one open read of a row from any other. */
    private final AtomicLong tokens;

    BatchWriter(SharedSettings settings, Counters counters, Waiters waiters, LimitsByQueue limits, AtomicLong tokens) {
        this.settings = settings;
        this.counters = counters;
        this.waiters = waiters;
        this.limits = limits;
        this.tokens = tokens;
    }

    /**
     * How many of the ops, from the first, one batch may hold. A batch runs its ops by kind (sets,
     * confirmations, give-backs, then reads), which is their order but where a connection gives back
     * a read of a queue after it read that queue (one command, {@code get q q/abort}, or pipelined
     * ones): the give-back waits for the next batch, so the read does not take the message given back.
     * Ops of different connections in one batch were sent before either was answered: any order is
     * theirs.
     */
    static int inOrder(List<SharedOp> ops) {
        Set<List<Object>> read = null;
        for (int i = 0; i < ops.size(); i++) {
            SharedOp op = ops.get(i);
            if (op instanceof Take take) {
                if (read == null) {
                    read = new java.util.HashSet<>();
                }
                read.add(List.of(take.reader == null ? Take.class : take.reader, take.queue));
            } else if (op instanceof SharedOp.Release release && read != null && release.reader() != null
                    && read.contains(List.of(release.reader(), release.queue()))) {
                return i;
            }
        }
        return ops.size();
    }

    /**
     * Applies the batch on {@code c} (not auto-committing) and commits. Nothing is answered here: the
     * caller runs the answers. On failure nothing was committed, nothing answered, no room kept.
     */
    Committed write(Connection c, List<SharedOp> ops) throws SQLException {
        Outcome outcome = new Outcome();
        Map<String, List<SharedOp.Insert>> inserts = new LinkedHashMap<>();
        List<SharedOp.Confirm> confirms = new ArrayList<>();
        List<SharedOp.Release> releases = new ArrayList<>();
        Map<String, List<Take>> takes = new LinkedHashMap<>();
        for (SharedOp op : ops) {
            if (op instanceof SharedOp.Insert insert) {
                inserts.computeIfAbsent(insert.queue(), q -> new ArrayList<>()).add(insert);
            } else if (op instanceof SharedOp.Confirm confirm) {
                confirms.add(confirm);
            } else if (op instanceof SharedOp.Release release) {
                releases.add(release);
            } else if (op instanceof Take take) {
                takes.computeIfAbsent(take.queue, q -> new ArrayList<>()).add(take);
            }
        }
        long commitNanos;
        try {
            if (!inserts.isEmpty()) {
                insert(c, inserts, outcome);
            }
            if (!confirms.isEmpty()) {
                confirm(c, confirms, outcome);
            }
            if (!releases.isEmpty()) {
                release(c, releases, outcome);
            }
            Map<String, List<Take>> tries = new LinkedHashMap<>();
            for (Map.Entry<String, List<Take>> queue : takes.entrySet()) {
                long arrivals = waiters.arrivals(queue.getKey());
                for (Take take : queue.getValue()) {
                    // noted before the head is read: an arrival committed after that read sends the take back
                    take.seenArrivals = arrivals;
                    if (take.beginTry()) {
                        tries.computeIfAbsent(queue.getKey(), q -> new ArrayList<>()).add(take);
                    }
                }
            }
            if (!tries.isEmpty()) {
                read(c, tries, outcome);
            }
            long began = System.nanoTime();
            c.commit();
            commitNanos = System.nanoTime() - began;
        } catch (SQLException | RuntimeException e) {
            outcome.unreserve.forEach(Runnable::run);
            throw e;
        }
        List<Runnable> after = outcome.answers;
        after.add(() -> {
            for (Take take : outcome.empty) {
                if (take.endTryEmpty()) {
                    waiters.await(take);
                }
            }
        });
        for (String queue : outcome.arrivals) {
            after.add(() -> waiters.arrived(queue));
        }
        return new Committed(after, outcome.arrivals, commitNanos);
    }

    private void insert(Connection c, Map<String, List<SharedOp.Insert>> byQueue, Outcome outcome) throws SQLException {
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
        private final Outcome outcome;
        private long messages;
        private long bytes;
        /** Stored rows read from the head and not yet dropped, {id, size}; and those dropped, to delete. */
        private final ArrayDeque<long[]> head = new ArrayDeque<>();
        private final List<Long> dropping = new ArrayList<>();
        private boolean headEmpty;
        private int discarded;
        /** Of those, this batch's own sets. */
        int ownDropped;

        Capacity(Connection c, String queue, QueueLimits limits, Outcome outcome) throws SQLException {
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
                discard(c, dropping);
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
                    discard(c, dropping); // before the head is read again: it would find them
                    dropping.clear();
                }
                head.addAll(head(c, queue, HEAD_CHUNK));
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

    private void confirm(Connection c, List<SharedOp.Confirm> confirms, Outcome outcome) throws SQLException {
        int[] counts = perLease(c, SharedSql.CONFIRM, confirms.stream().map(SharedOp.Confirm::lease).toList());
        for (int i = 0; i < counts.length; i++) {
            SharedOp.Confirm confirm = confirms.get(i);
            boolean held = counts[i] > 0;
            outcome.answers.add(() -> {
                if (held) {
                    counters.consumed(confirm.queue(), 1);
                }
                confirm.done().complete(held);
            });
        }
    }

    private void release(Connection c, List<SharedOp.Release> releases, Outcome outcome) throws SQLException {
        int[] counts = perLease(c, SharedSql.RELEASE, releases.stream().map(SharedOp.Release::lease).toList());
        for (int i = 0; i < counts.length; i++) {
            SharedOp.Release release = releases.get(i);
            boolean held = counts[i] > 0;
            if (held) {
                outcome.arrivals.add(release.queue());
            }
            outcome.answers.add(() -> release.done().complete(held));
        }
    }

    /** Runs {@code sql} once per lease (id, token, this server); how many rows each touched (0: no longer held). */
    private int[] perLease(Connection c, String sql, List<Lease> openReads) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (Lease lease : openReads) {
                statement.setLong(1, lease.id());
                statement.setLong(2, lease.token());
                statement.setString(3, settings.serverId());
                statement.addBatch();
            }
            return statement.executeBatch();
        }
    }

    /**
     * Serves the reads in arrival order from their queues' heads, every queue's head read in one
     * statement: each message's size is reserved in its reader's room before it is taken; expired
     * and too old ones are removed on the way.
     */
    private void read(Connection c, Map<String, List<Take>> tries, Outcome outcome) throws SQLException {
        Map<String, List<Take>> wanting = new LinkedHashMap<>();
        for (Map.Entry<String, List<Take>> queue : tries.entrySet()) {
            for (Take take : queue.getValue()) {
                if (take.mode != ReadMode.PEEK) {
                    wanting.computeIfAbsent(queue.getKey(), q -> new ArrayList<>()).add(take);
                }
            }
        }
        Map<Long, Take> pops = new HashMap<>();
        Map<Long, Take> opens = new HashMap<>();
        if (!wanting.isEmpty()) {
            Map<String, List<long[]>> heads = heads(c, wanting);
            for (Map.Entry<String, List<Take>> queue : wanting.entrySet()) {
                int popped = pops.size();
                assign(c, queue.getKey(), queue.getValue(), heads.getOrDefault(queue.getKey(), List.of()), pops, opens,
                        outcome);
                int count = pops.size() - popped;
                if (count > 0) {
                    outcome.answers.add(() -> counters.consumed(queue.getKey(), count));
                }
            }
        }
        peeks(c, tries, pops, opens, outcome);
        if (!pops.isEmpty()) {
            take(c, SharedSql.POP, pops, false, outcome);
        }
        if (!opens.isEmpty()) {
            take(c, SharedSql.OPEN, opens, true, outcome);
        }
    }

    /**
     * Each peek sees the head as it stands at its turn: past the rows given to the pops and opens
     * before it in the batch, still there for those after it (so before they are taken).
     */
    private void peeks(Connection c, Map<String, List<Take>> tries, Map<Long, Take> pops, Map<Long, Take> opens,
                       Outcome outcome) throws SQLException {
        for (Map.Entry<String, List<Take>> queue : tries.entrySet()) {
            List<Long> takenBefore = new ArrayList<>();
            for (Take take : queue.getValue()) {
                if (take.mode == ReadMode.PEEK) {
                    peek(c, queue.getKey(), take, takenBefore, outcome);
                } else {
                    Long row = rowOf(take, pops, opens);
                    if (row != null) {
                        takenBefore.add(row);
                    }
                }
            }
        }
    }

    private static Long rowOf(Take take, Map<Long, Take> pops, Map<Long, Take> opens) {
        for (Map<Long, Take> chosen : List.of(pops, opens)) {
            for (Map.Entry<Long, Take> row : chosen.entrySet()) {
                if (row.getValue() == take) {
                    return row.getKey();
                }
            }
        }
        return null;
    }

    /** Gives the queue's head rows to its reads in order; reads the head again only past expired rows. */
    private void assign(Connection c, String queue, List<Take> wanting, List<long[]> head, Map<Long, Take> pops,
                        Map<Long, Take> opens, Outcome outcome) throws SQLException {
        long now = System.currentTimeMillis();
        long maxAge = limits.of(queue).maxAgeMillis();
        Map<Long, Take> mine = new HashMap<>();
        int next = 0;
        int asked = wanting.size();
        while (true) {
            List<Long> expired = new ArrayList<>();
            for (long[] row : head) {
                if (mine.containsKey(row[0])) {
                    continue; // chosen in an earlier round: locked by this transaction, so read again
                }
                if (Expiry.expired(row[3], row[2], now, maxAge)) {
                    expired.add(row[0]);
                    continue;
                }
                while (next < wanting.size()) {
                    Take take = wanting.get(next++);
                    int size = (int) row[1];
                    if (take.room.reserve(size)) {
                        outcome.unreserve.add(() -> take.room.release(size));
                        mine.put(row[0], take);
                        (take.mode == ReadMode.OPEN ? opens : pops).put(row[0], take);
                        break;
                    }
                    // no room in its connection's memory: nothing is taken for it, and it answers "nothing"
                    outcome.answers.add(() -> take.finish(null));
                }
            }
            if (!expired.isEmpty()) {
                discard(c, expired);
                int count = expired.size();
                outcome.answers.add(() -> counters.expired(queue, count));
            }
            if (next >= wanting.size() || head.size() < asked || expired.isEmpty()) {
                break;
            }
            asked = wanting.size() - next + mine.size();
            head = head(c, queue, asked);
        }
        for (int i = next; i < wanting.size(); i++) {
            outcome.empty.add(wanting.get(i));
        }
    }

    /** The first rows of each queue, as many as it has reads, locked by this transaction: one statement for all. */
    private static Map<String, List<long[]>> heads(Connection c, Map<String, List<Take>> wanting) throws SQLException {
        Map<String, List<long[]>> heads = new HashMap<>();
        String[] queues = wanting.keySet().toArray(String[]::new);
        Integer[] counts = new Integer[queues.length];
        for (int i = 0; i < queues.length; i++) {
            counts[i] = wanting.get(queues[i]).size();
        }
        try (PreparedStatement head = c.prepareStatement(SharedSql.HEADS)) {
            head.setArray(1, c.createArrayOf("varchar", queues));
            head.setArray(2, c.createArrayOf("int4", counts));
            try (ResultSet rs = head.executeQuery()) {
                while (rs.next()) {
                    heads.computeIfAbsent(rs.getString(1), q -> new ArrayList<>())
                            .add(new long[]{rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)});
                }
            }
        }
        return heads;
    }

    /** Rows {id, size, stored at, expires at} of the queue's waiting head, locked by this transaction. */
    private static List<long[]> head(Connection c, String queue, int limit) throws SQLException {
        List<long[]> rows = new ArrayList<>(limit);
        try (PreparedStatement head = c.prepareStatement(SharedSql.HEAD)) {
            head.setString(1, queue);
            head.setInt(2, limit);
            try (ResultSet rs = head.executeQuery()) {
                while (rs.next()) {
                    rows.add(new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
        }
        return rows;
    }

    private static void discard(Connection c, List<Long> ids) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(SharedSql.DISCARD)) {
            delete.setArray(1, ids(c, ids));
            delete.executeUpdate();
        }
    }

    private static Array ids(Connection c, java.util.Collection<Long> ids) throws SQLException {
        return c.createArrayOf("bigint", ids.toArray(Long[]::new));
    }

    /** Pops or opens (leases) the chosen rows and hands each to its read once committed. */
    private void take(Connection c, String sql, Map<Long, Take> chosen, boolean open, Outcome outcome)
            throws SQLException {
        long token = open ? tokens.incrementAndGet() : 0;
        long until = settings.openTimeoutMillis() > 0 ? settings.openTimeoutMillis() : 0;
        try (PreparedStatement take = c.prepareStatement(sql)) {
            int p = 1;
            if (open) {
                take.setString(p++, settings.serverId());
                take.setLong(p++, token);
                if (until > 0) {
                    take.setLong(p++, until);
                } else {
                    take.setNull(p++, Types.BIGINT);
                }
            }
            take.setArray(p, ids(c, chosen.keySet()));
            try (ResultSet rs = take.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    Take read = chosen.remove(id);
                    Delivery delivery = new Delivery(id, rs.getLong(2), rs.getBytes(3));
                    if (open) {
                        long expires = until > 0 ? System.currentTimeMillis() + until : Long.MAX_VALUE;
                        Lease lease = new Lease(read.queue, id, token, expires, System.nanoTime());
                        outcome.answers.add(() -> read.lease.complete(lease));
                    }
                    outcome.answers.add(() -> read.finish(delivery));
                }
            }
        }
        // a row locked for us cannot vanish before our commit; should one, its read answers "nothing"
        for (Take missed : chosen.values()) {
            outcome.answers.add(() -> missed.finish(null));
        }
    }

    private void peek(Connection c, String queue, Take take, List<Long> passed, Outcome outcome) throws SQLException {
        long now = System.currentTimeMillis();
        long maxAge = limits.of(queue).maxAgeMillis();
        try (PreparedStatement peek = c.prepareStatement(SharedSql.PEEK)) {
            peek.setString(1, queue);
            peek.setLong(2, now);
            peek.setLong(3, Expiry.storedAfter(now, maxAge));
            peek.setArray(4, ids(c, passed));
            try (ResultSet rs = peek.executeQuery()) {
                if (rs.next()) {
                    byte[] body = rs.getBytes(3);
                    if (take.room.reserve(body.length)) {
                        outcome.unreserve.add(() -> take.room.release(body.length));
                        Delivery delivery = new Delivery(rs.getLong(1), rs.getLong(2), body);
                        outcome.answers.add(() -> take.finish(delivery));
                    } else {
                        outcome.answers.add(() -> take.finish(null));
                    }
                    return;
                }
            }
        }
        outcome.empty.add(take);
    }
}
