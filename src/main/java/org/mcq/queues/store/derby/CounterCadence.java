package org.mcq.queues.store.derby;

import java.util.HashMap;
import java.util.Map;

/**
 * When the queue counters ride along with a batch: at most once an interval (they are statistics,
 * not data; after a crash they are reconciled with the messages on disk) and with the last batch.
 * What was taken for a batch that failed is kept for the next one. Once a batch is written it tells
 * the index what is on disk now: the records made and deleted, the counters written, after which
 * {@code written} runs (empty queues may be put aside).
 */
final class CounterCadence {

    private final QueueIndex index;
    private final long intervalMillis;
    private final Runnable written;
    private Map<String, QueueTally.Taken> unwritten = new HashMap<>();
    private long writtenAt;

    /**
     * @param index          the counters of each queue changed since it was last asked
     * @param intervalMillis how often at most; 0 writes them only with the last batch
     * @param written        runs on the writer's thread once counters were written
     */
    CounterCadence(QueueIndex index, long intervalMillis, Runnable written) {
        this.index = index;
        this.intervalMillis = intervalMillis;
        this.written = written;
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
        index.recordsDeletedBy(batch.recordDrops());
        boolean due = last || batch.dropsAll() || intervalMillis > 0 && now - writtenAt >= intervalMillis;
        if (due) {
            for (QueueTally.Taken taken : index.changedCounters()) {
                unwritten.put(taken.queue().name(), taken);
            }
            if (!unwritten.isEmpty()) {
                Map<String, long[]> counters = new HashMap<>(unwritten.size() * 2);
                unwritten.forEach((name, taken) -> counters.put(name, taken.counters()));
                batch.writeCounters(counters);
            }
        }
        return due;
    }

    /** The batch is committed; it carried the counters if they were due. */
    void written(Batch batch, boolean countersDue, long now) {
        index.recordsChanged(batch.recordChange());
        if (!countersDue) {
            return;
        }
        for (QueueTally.Taken taken : unwritten.values()) {
            taken.queue().written(taken.version());
        }
        unwritten = new HashMap<>();
        writtenAt = now;
        written.run();
    }
}
