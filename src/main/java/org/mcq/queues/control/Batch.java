package org.mcq.queues.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one commit writes, reduced from the operations in their order: a message consumed in the
 * same batch it was stored in is never written; a dropped queue's pending messages are discarded.
 * The store applies it as: drop everything, drop queues, delete consumed ids, insert new messages,
 * add counter deltas; that order gives the same result as the operations one by one.
 */
public final class Batch {

    /** A message to insert. */
    public record Insert(long id, String queue, long flags, byte[] body) {
    }

    private boolean dropAll;
    private final Set<String> drops = new HashSet<>();
    private final List<Long> deletes = new ArrayList<>();
    private final Map<Long, Insert> inserts = new LinkedHashMap<>();
    private final Map<String, long[]> deltas = new HashMap<>();

    void insert(String queue, Message message, byte[] body) {
        inserts.put(message.id(), new Insert(message.id(), queue, message.flags(), body));
        delta(queue)[0]++;
    }

    void consume(String queue, long id) {
        if (inserts.remove(id) == null) {
            deletes.add(id);
        }
        delta(queue)[1]++;
    }

    void drop(String queue) {
        inserts.values().removeIf(insert -> insert.queue().equals(queue));
        deltas.remove(queue);
        drops.add(queue);
    }

    void dropAll() {
        dropAll = true;
        drops.clear();
        deletes.clear();
        inserts.clear();
        deltas.clear();
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

    /** Per queue, {stored, consumed} to add to its counters (creating its record if needed). */
    public Map<String, long[]> deltas() {
        return deltas;
    }

    public boolean isEmpty() {
        return !dropAll && drops.isEmpty() && deletes.isEmpty() && inserts.isEmpty() && deltas.isEmpty();
    }

    private long[] delta(String queue) {
        return deltas.computeIfAbsent(queue, q -> new long[2]);
    }

}
