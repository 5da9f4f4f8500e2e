package org.mcq.queues.control;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * When the queue counters ride along with a batch: at most once an interval (they are statistics,
 * not data; after a crash they are reconciled with the messages on disk) and with the last batch.
 * What was taken for a batch that failed is kept for the next one.
 */
final class CounterCadence {

    private final Supplier<Map<String, long[]>> changedCounters;
    private final long intervalMillis;
    private Map<String, long[]> unwritten = new HashMap<>();
    private long writtenAt;

    /**
     * @param changedCounters the {stored, consumed} of each queue changed since it was last asked
     * @param intervalMillis  how often at most; 0 writes them only with the last batch
     */
    CounterCadence(Supplier<Map<String, long[]>> changedCounters, long intervalMillis) {
        this.changedCounters = changedCounters;
        this.intervalMillis = intervalMillis;
    }

    /** Adds the counters to the batch if they are due; returns whether they were. */
    boolean addTo(Batch batch, boolean last, long now) {
        // counters left from a refused batch of queues dropped since are stale; the index's are fresh:
        // a queue dropped and made again within the batch keeps the new one's
        if (batch.dropsAll()) {
            unwritten.clear();
        } else {
            unwritten.keySet().removeAll(batch.drops());
        }
        boolean due = last || batch.dropsAll() || intervalMillis > 0 && now - writtenAt >= intervalMillis;
        if (due) {
            unwritten.putAll(changedCounters.get());
            if (!unwritten.isEmpty()) {
                batch.writeCounters(unwritten);
            }
        }
        return due;
    }

    /** The batch that carried them (if due) is committed. */
    void written(long now) {
        unwritten = new HashMap<>();
        writtenAt = now;
    }
}
