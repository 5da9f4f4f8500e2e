package org.mcq.metrics.control;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.mcq.queues.control.QueueSet;

/**
 * Every queue's figures, taken at most once per {@code maxAgeMillis}: one scrape reads nine gauges
 * of each of thousands of queues, and should take the queues' lock once, not per gauge.
 */
public final class QueueSnapshot {

    private final Supplier<List<QueueSet.QueueDump>> source;
    private final long maxAgeNanos;
    private Map<String, QueueSet.QueueDump> byName = Map.of();
    private long takenAt;
    private boolean taken;

    public QueueSnapshot(Supplier<List<QueueSet.QueueDump>> source, long maxAgeMillis) {
        this.source = source;
        this.maxAgeNanos = maxAgeMillis * 1_000_000;
    }

    /** The queue's figures as of at most the maximum age ago, or null if it had none then. */
    public synchronized QueueSet.QueueDump get(String queue) {
        long now = System.nanoTime();
        if (!taken || now - takenAt > maxAgeNanos) {
            List<QueueSet.QueueDump> dumps = source.get();
            Map<String, QueueSet.QueueDump> fresh = new HashMap<>(dumps.size() * 2);
            for (QueueSet.QueueDump dump : dumps) {
                fresh.put(dump.name(), dump);
            }
            byName = fresh;
            takenAt = now;
            taken = true;
        }
        return byName.get(queue);
    }
}
