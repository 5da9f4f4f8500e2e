package org.mcq.metrics.control;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mcq.queues.control.QueueSet;

/**
 * Which queues have series of their own, and their latest figures. Registering a series costs time
 * in proportion to the series already registered (MicroProfile Metrics checks each new one against
 * all), so series for tens of thousands of queues would cost minutes of CPU: the deepest
 * {@code max} queues have their own, ties by name; the totals cover all. Not thread-safe for
 * {@link #update}; {@link #figures} may be read from any thread.
 */
public final class QueueSeries {

    /** What changed in the set of queues with series. */
    public record Change(List<String> added, List<String> removed) {
    }

    private static final Comparator<QueueSet.QueueDump> DEEPEST_FIRST =
            Comparator.comparingInt(QueueSet.QueueDump::items).reversed().thenComparing(QueueSet.QueueDump::name);

    private final int max;
    private final Set<String> shown = new HashSet<>();
    private volatile Map<String, QueueSet.QueueDump> figures = Map.of();

    public QueueSeries(int max) {
        this.max = max;
    }

    /** Takes new figures of every queue; yields the queues whose series must be added and removed. */
    public Change update(List<QueueSet.QueueDump> queues) {
        Map<String, QueueSet.QueueDump> latest = new HashMap<>(queues.size() * 2);
        queues.stream().sorted(DEEPEST_FIRST).limit(Math.max(0, max)).forEach(dump -> latest.put(dump.name(), dump));
        List<String> removed = shown.stream().filter(name -> !latest.containsKey(name)).sorted().toList();
        List<String> added = latest.keySet().stream().filter(name -> !shown.contains(name)).sorted().toList();
        shown.removeAll(removed);
        shown.addAll(added);
        figures = latest;
        return new Change(added, removed);
    }

    /** The queue's latest figures, or null if it has no series. */
    public QueueSet.QueueDump figures(String queue) {
        return figures.get(queue);
    }
}
