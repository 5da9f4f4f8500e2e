package org.mcq.queues.control;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one commit writes, reduced from the operations in their order: a message consumed in the
 * same batch it was stored in is never written; a dropped queue's pending messages are discarded.
 * The store applies it as: drop everything, drop queue records, delete ids, insert new messages,
 * write counters; that order gives the same result as the operations one by one.
 */
public final class Batch {

    /** A message to insert. */
    public record Insert(long id, String queue, long flags, byte[] body, long storedAt, long expiresAt) {
    }

    private boolean dropAll;
    private final Set<String> drops = new HashSet<>();
    private final List<Long> deletes = new ArrayList<>();
    private final Map<Long, Insert> inserts = new LinkedHashMap<>();
    /** Messages consumed before they were written, whose removal has not come yet: nothing to delete. */
    private final Set<Long> skipped = new HashSet<>();
    private Map<String, long[]> counters = Map.of();

    void insert(String queue, Message message, byte[] body) {
        inserts.put(message.id(), new Insert(message.id(), queue, message.flags(), body, message.storedAt(),
                message.expiresAt()));
    }

    /**
     * A message consumed before it was written. Its removal follows: in this batch it cancels out; in
     * a later one (the batch was cut between them) it deletes no row.
     */
    void skipInsert(long id) {
        skipped.add(id);
    }

    void consume(long id) {
        if (inserts.remove(id) == null && !skipped.remove(id)) {
            deletes.add(id);
        }
    }

    /** Drops a queue whose stored messages have the given ids. */
    void drop(String queue, long[] ids) {
        inserts.values().removeIf(insert -> insert.queue().equals(queue));
        for (long id : ids) {
            consume(id);
        }
        drops.add(queue);
    }

    void dropAll() {
        dropAll = true;
        drops.clear();
        deletes.clear();
        inserts.clear();
        skipped.clear();
    }

    /** Sets the counters to write with this batch: {stored, consumed} per queue, absolute. */
    void writeCounters(Map<String, long[]> counters) {
        this.counters = counters;
        counters.keySet().removeAll(drops);
    }

    public boolean dropsAll() {
        return dropAll;
    }

    public Set<String> drops() {
        return drops;
    }

    public List<Long> deletes() {
        return deletes;
    }

    public Iterable<Insert> inserts() {
        return inserts.values();
    }

    public int insertCount() {
        return inserts.size();
    }

    public Map<String, long[]> counters() {
        return counters;
    }

    public boolean isEmpty() {
        return !dropAll && drops.isEmpty() && deletes.isEmpty() && inserts.isEmpty() && counters.isEmpty();
    }
}
