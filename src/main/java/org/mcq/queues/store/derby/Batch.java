package org.mcq.queues.store.derby;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one commit writes, reduced from the operations in their order: a message consumed in the
 * same batch it was stored in is never written; a dropped queue's pending messages are discarded,
 * but for those read open (a drop leaves open reads open). The store applies it as: drop the queue
 * records in the drops' order, clear the dropped rows, delete ids, insert new messages, write
 * counters; that order gives the same result as the operations one by one.
 */
public final class Batch {

    /** A message to insert. */
    public record Insert(long id, String queue, long flags, byte[] body, long storedAt, long expiresAt) {
    }

    /**
     * The rows a drop deletes: those of its queue (null: of every queue) with ids up to {@code maxId},
     * but the ones read open at that moment ({@code kept}, ascending). Every message stored before the
     * drop has a smaller id than every one stored after it, so a range says it without a row per id.
     */
    public record Cleared(String queue, long maxId, long[] kept) {

        /** The id ranges to delete, {from, to} inclusive: up to {@code maxId}, around the kept ids. */
        public List<long[]> ranges() {
            List<long[]> ranges = new ArrayList<>(kept.length + 1);
            long from = 0;
            for (long id : kept) {
                if (id > maxId) {
                    break;
                }
                if (id > from) {
                    ranges.add(new long[] {from, id - 1});
                }
                from = id + 1;
            }
            if (from <= maxId) {
                ranges.add(new long[] {from, maxId});
            }
            return ranges;
        }

        boolean covers(Insert insert) {
            return (queue == null || queue.equals(insert.queue())) && insert.id() <= maxId
                    && Arrays.binarySearch(kept, insert.id()) < 0;
        }
    }

    private boolean dropAll;
    private final List<Cleared> cleared = new ArrayList<>();
    private final Set<String> drops = new HashSet<>();
    /** The queue records the drops delete, in their order: a queue's, or null for every record. */
    private final List<String> recordDrops = new ArrayList<>();
    private final List<Long> deletes = new ArrayList<>();
    private final Map<Long, Insert> inserts = new LinkedHashMap<>();
    /** Messages consumed before they were written, whose removal has not come yet: nothing to delete. */
    private final Set<Long> skipped = new HashSet<>();
    private Map<String, long[]> counters = Map.of();
    /** What the store did to the queue records, told by it as it writes. */
    private long recordsMade;
    private long recordsDeleted;
    private boolean[] recordsFound = new boolean[0];

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

    /**
     * Drops a queue: its record, and its rows up to {@code maxId} but the {@code kept} ones (ascending),
     * written or still pending here. Yields its place among the batch's drops ({@link #droppedRecord}).
     */
    int drop(String queue, long maxId, long[] kept) {
        clear(new Cleared(queue, maxId, kept));
        drops.add(queue);
        recordDrops.add(queue);
        return recordDrops.size() - 1;
    }

    /**
     * Drops every queue: every record, and every row up to {@code maxId} but the {@code kept} ones.
     * Yields its place among the batch's drops.
     */
    int dropAll(long maxId, long[] kept) {
        clear(new Cleared(null, maxId, kept));
        dropAll = true;
        drops.clear();
        recordDrops.add(null);
        return recordDrops.size() - 1;
    }

    private void clear(Cleared rows) {
        if (rows.maxId() > 0) {
            inserts.values().removeIf(rows::covers);
            cleared.add(rows);
        }
    }

    /**
     * Sets the counters to write with this batch: {stored, consumed} per queue, absolute, of the queues
     * as they are after it (written after its drops, so a queue made again after its drop keeps a record).
     */
    void writeCounters(Map<String, long[]> counters) {
        this.counters = counters;
    }

    public boolean dropsAll() {
        return dropAll;
    }

    /** The rows dropped queues clear, in the order of the drops. */
    public List<Cleared> cleared() {
        return cleared;
    }

    /** The queues dropped after the last drop of every queue, if any (their counters written before are stale). */
    public Set<String> drops() {
        return drops;
    }

    /**
     * The queue records to delete, in the order of the drops: a queue's, or null for every record.
     * Deleted in this order, each drop's count tells whether that drop found a record.
     */
    public List<String> recordDrops() {
        return recordDrops;
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

    /**
     * The store tells what it did to the queue records: how many it made (counters of a queue with
     * none), how many it deleted, and which of the {@link #recordDrops} found one, by place.
     */
    void recorded(long made, long deleted, boolean[] found) {
        recordsMade = made;
        recordsDeleted = deleted;
        recordsFound = found;
    }

    /** Queue records made less those deleted, once written. */
    long recordChange() {
        return recordsMade - recordsDeleted;
    }

    /** Whether the drop at this place (see {@link #drop}) deleted a record, once written. */
    boolean droppedRecord(int place) {
        return place < recordsFound.length && recordsFound[place];
    }

    public boolean isEmpty() {
        return !dropAll && cleared.isEmpty() && recordDrops.isEmpty() && deletes.isEmpty() && inserts.isEmpty() && counters.isEmpty();
    }
}
