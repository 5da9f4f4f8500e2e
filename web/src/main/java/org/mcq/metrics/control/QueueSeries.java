package org.mcq.metrics.control;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mcq.queues.api.QueueDump;

/**
 * Which queues have series of their own, and their latest figures. Registering a series costs time
 * in proportion to the series already registered (MicroProfile Metrics checks each new one against
 * all), so series for tens of thousands of queues would cost minutes of CPU: the deepest
 * {@code max} queues have their own, ties by name; the totals cover all. Not thread-safe for
 * {@link #update}; {@link #figures} may be read from any thread.
 *
 * <p>The metrics library keeps about 3 KB for every queue name that ever had series (the nine
 * figures' ids stay in its per-application map after the series are removed: measured, 135,000 ids
 * after a million names each queued for a moment). A queue per job would make that grow without
 * end, so at most {@link #NAMES_PER_SERIES} times {@code max} distinct names ever get series (5,000
 * with the shipped 1,000: about 15 MB at most); once that many have, only those are shown (the
 * deepest of them), until the server restarts.
 */
public final class QueueSeries {

    /** What changed in the set of queues with series. */
    public record Change(List<String> added, List<String> removed) {
    }

    private static final Comparator<QueueDump> DEEPEST_FIRST =
            Comparator.comparingInt(QueueDump::items).reversed().thenComparing(QueueDump::name);

    /** Distinct names that may ever have series, per series shown at once. */
    public static final int NAMES_PER_SERIES = 5;

    private final int max;
    private final Set<String> shown = new HashSet<>();
    /** Every name that had series since start: at most {@link #NAMES_PER_SERIES} times {@code max}. */
    private final Set<String> named = new HashSet<>();
    private volatile Map<String, QueueDump> figures = Map.of();

    public QueueSeries(int max) {
        this.max = max;
    }

    /** Takes new figures of every queue; yields the queues whose series must be added and removed. */
    public Change update(List<QueueDump> queues) {
        Map<String, QueueDump> latest = new HashMap<>(queues.size() * 2);
        long mostNames = (long) NAMES_PER_SERIES * Math.max(0, max);
        queues.stream().sorted(DEEPEST_FIRST)
                .filter(dump -> named.contains(dump.name()) || named.size() < mostNames && named.add(dump.name()))
                .limit(Math.max(0, max)).forEach(dump -> latest.put(dump.name(), dump));
        List<String> removed = shown.stream().filter(name -> !latest.containsKey(name)).sorted().toList();
        List<String> added = latest.keySet().stream().filter(name -> !shown.contains(name)).sorted().toList();
        shown.removeAll(removed);
        shown.addAll(added);
        figures = latest;
        return new Change(added, removed);
    }

    /** The queue's latest figures, or null if it has no series. */
    public QueueDump figures(String queue) {
        return figures.get(queue);
    }
}
