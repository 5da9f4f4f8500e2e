package org.mcq.queues.store.derby;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.mcq.queues.rules.Fanout;

/**
 * The fanout subscribers of each queue ({@link Fanout}) that exist: in memory or put aside, so a set
 * finds them without reading the queue records. Only names holding the mark are kept: a server
 * with a queue per job keeps nothing here.
 */
final class Subscribers {

    private final ConcurrentHashMap<String, Set<String>> byQueue = new ConcurrentHashMap<>();

    /** A queue of this name exists now; kept if it is a subscriber. */
    void exists(String name) {
        String parent = Fanout.parentOf(name);
        if (parent != null) {
            byQueue.compute(parent, (p, names) -> { // in one step: a drop of a sibling may empty the set meanwhile
                Set<String> kept = names != null ? names : new ConcurrentSkipListSet<>();
                kept.add(name);
                return kept;
            });
        }
    }

    /** The queue of this name (null: every queue) is dropped; yields the subscribers that ended with it. */
    List<String> dropped(String name) {
        if (name == null) {
            List<String> all = new ArrayList<>();
            byQueue.keySet().forEach(queue -> {
                Set<String> names = byQueue.remove(queue);
                if (names != null) {
                    all.addAll(names);
                }
            });
            return all;
        }
        String parent = Fanout.parentOf(name);
        if (parent == null) {
            return List.of();
        }
        boolean[] removed = {false};
        byQueue.computeIfPresent(parent, (p, names) -> {
            removed[0] = names.remove(name);
            return names.isEmpty() ? null : names;
        });
        return removed[0] ? List.of(name) : List.of();
    }

    /** Whether this subscriber exists. */
    boolean has(String name) {
        String parent = Fanout.parentOf(name);
        Set<String> names = parent == null ? null : byQueue.get(parent);
        return names != null && names.contains(name);
    }

    /** The subscribers of the queue, in name order. */
    List<String> of(String queue) {
        Set<String> names = byQueue.get(queue);
        return names == null ? List.of() : List.copyOf(names);
    }
}
