package org.mcq.queues.store.derby;

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
            byQueue.computeIfAbsent(parent, p -> new ConcurrentSkipListSet<>()).add(name);
        }
    }

    /** The queue of this name (null: every queue) is dropped. */
    void dropped(String name) {
        if (name == null) {
            byQueue.clear();
            return;
        }
        String parent = Fanout.parentOf(name);
        if (parent != null) {
            byQueue.computeIfPresent(parent, (p, names) -> {
                names.remove(name);
                return names.isEmpty() ? null : names;
            });
        }
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
