package org.mcq.queues.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.mcq.queues.rules.Fanout;

/**
 * Queue counters this server has not yet added to the database ({@code stored}, {@code consumed}),
 * and the ones it keeps for itself ({@code expired}, {@code discarded}). Added, never overwritten, by
 * one small transaction a second: counting in each batch's transaction would make every server's
 * commits wait on the same counter row. The kept ones are kept for at most {@link #KEPT_QUEUES}
 * queues (the first to expire or discard messages): beyond them a queue's count goes into the totals
 * only, so names without end cannot fill the heap.
 */
final class Counters {

    static final int KEPT_QUEUES = 100_000;

    /** Whether names holding the fanout mark are subscribers, whose records only their sets and reads make. */
    private final boolean fanout;
    private Map<String, long[]> pending = new HashMap<>();
    private final Map<String, long[]> dropped = new HashMap<>();
    final AtomicLong expired = new AtomicLong();
    final AtomicLong discarded = new AtomicLong();

    Counters(boolean fanout) {
        this.fanout = fanout;
    }

    synchronized void stored(String queue, int count) {
        pending.computeIfAbsent(queue, q -> new long[2])[0] += count;
    }

    synchronized void consumed(String queue, int count) {
        pending.computeIfAbsent(queue, q -> new long[2])[1] += count;
    }

    /** Messages that left the queue unread: consumed too, as on Derby, so stored - consumed is what waits. */
    synchronized void expired(String queue, int count) {
        consumed(queue, count);
        count(queue, 0, count);
        expired.addAndGet(count);
    }

    /** As {@link #expired}. */
    synchronized void discarded(String queue, int count) {
        consumed(queue, count);
        count(queue, 1, count);
        discarded.addAndGet(count);
    }

    private void count(String queue, int which, int count) {
        long[] counts = dropped.get(queue);
        if (counts == null && count > 0 && dropped.size() < KEPT_QUEUES) {
            counts = new long[2];
            dropped.put(queue, counts);
        }
        if (counts != null) {
            counts[which] += count;
        }
    }

    /** {stored, consumed} not yet in the database. */
    synchronized long[] unwritten(String queue) {
        long[] counts = pending.get(queue);
        return counts == null ? new long[2] : counts.clone();
    }

    /** {expired, discarded} here since start (0 for a queue beyond the {@link #KEPT_QUEUES} kept). */
    synchronized long[] dropped(String queue) {
        long[] counts = dropped.get(queue);
        return counts == null ? new long[2] : counts.clone();
    }

    /** Forgets a dropped queue's counts. */
    synchronized void forget(String queue) {
        pending.remove(queue);
        dropped.remove(queue);
    }

    synchronized void forgetAll() {
        pending.clear();
        dropped.clear();
    }

    /** Adds what is pending to the database; kept for the next time if that fails. */
    void write(Connection c) throws SQLException {
        Map<String, long[]> writing;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            writing = pending;
            pending = new HashMap<>();
        }
        try (PreparedStatement add = c.prepareStatement(SharedSql.ADD_COUNTS);
             PreparedStatement addExisting = c.prepareStatement(SharedSql.ADD_COUNTS_IF_RECORDED)) {
            // in name order (queues, then subscribers): two servers adding to the same queues never wait
            // on each other in a circle
            for (Map.Entry<String, long[]> counts : new TreeMap<>(writing).entrySet()) {
                // a subscriber deleted meanwhile stays deleted: counts pending on any server do not make it again
                if (fanout && Fanout.parentOf(counts.getKey()) != null) {
                    addExisting.setLong(1, counts.getValue()[0]);
                    addExisting.setLong(2, counts.getValue()[1]);
                    addExisting.setString(3, counts.getKey());
                    addExisting.addBatch();
                } else {
                    add.setString(1, counts.getKey());
                    add.setLong(2, counts.getValue()[0]);
                    add.setLong(3, counts.getValue()[1]);
                    add.addBatch();
                }
            }
            add.executeBatch();
            addExisting.executeBatch();
            c.commit();
        } catch (SQLException e) {
            synchronized (this) {
                writing.forEach((queue, counts) -> {
                    long[] now = pending.computeIfAbsent(queue, q -> new long[2]);
                    now[0] += counts[0];
                    now[1] += counts[1];
                });
            }
            throw e;
        }
    }
}
