package org.mcq.queues.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.rules.Expiry;

/**
 * A batch's reads, last in it so they see its sets and give-backs: the heads of their queues,
 * locked by the transaction, popped, leased or only looked at.
 */
final class HeadReads {

    private final SharedSettings settings;
    private final Counters counters;
    private final LimitsByQueue limits;
    /** Lease tokens of this server: with its id, they tell one open read of a row from any other. */
    private final AtomicLong tokens;

    HeadReads(SharedSettings settings, Counters counters, LimitsByQueue limits, AtomicLong tokens) {
        this.settings = settings;
        this.counters = counters;
        this.limits = limits;
        this.tokens = tokens;
    }

    /**
     * Serves the reads in arrival order from their queues' heads, every queue's head read in one
     * statement: each message's size is reserved in its reader's room before it is taken; expired
     * and too old ones are removed on the way.
     */
    void read(Connection c, Map<String, List<Take>> tries, BatchWriter.Outcome outcome) throws SQLException {
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
            Map<String, List<long[]>> heads = QueueHeads.heads(c, wanting);
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
                       BatchWriter.Outcome outcome) throws SQLException {
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
                        Map<Long, Take> opens, BatchWriter.Outcome outcome) throws SQLException {
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
                QueueHeads.discard(c, expired);
                int count = expired.size();
                outcome.answers.add(() -> counters.expired(queue, count));
            }
            if (next >= wanting.size() || head.size() < asked || expired.isEmpty()) {
                break;
            }
            asked = wanting.size() - next + mine.size();
            head = QueueHeads.head(c, queue, asked);
        }
        for (int i = next; i < wanting.size(); i++) {
            outcome.empty.add(wanting.get(i));
        }
    }

    /** Pops or opens (leases) the chosen rows and hands each to its read once committed. */
    private void take(Connection c, String sql, Map<Long, Take> chosen, boolean open, BatchWriter.Outcome outcome)
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
            take.setArray(p, QueueHeads.ids(c, chosen.keySet()));
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

    private void peek(Connection c, String queue, Take take, List<Long> passed, BatchWriter.Outcome outcome)
            throws SQLException {
        long now = System.currentTimeMillis();
        long maxAge = limits.of(queue).maxAgeMillis();
        try (PreparedStatement peek = c.prepareStatement(SharedSql.PEEK)) {
            peek.setString(1, queue);
            peek.setLong(2, now);
            peek.setLong(3, Expiry.storedAfter(now, maxAge));
            peek.setArray(4, QueueHeads.ids(c, passed));
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
