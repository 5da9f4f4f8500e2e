package org.mcq.queues.control;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The in-memory index of every named queue (FIFO of ids, flags and, within the memory budget,
 * bodies) and the source of message ids, rebuilt from the store at start.
 */
final class QueueIndex {

    private final ConcurrentHashMap<String, MessageQueue> queues = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();
    private final Function<String, QueueLimits> limits;

    /** @param limits each queue's limits by its name, asked once when the queue is made */
    QueueIndex(Function<String, QueueLimits> limits) {
        this.limits = limits;
    }

    /** Rebuilds the index from the store; bodies are read back lazily. */
    void load(MessageStore store) throws StorageException {
        for (MessageStore.QueueCounters counters : store.queues()) {
            queues.put(counters.name(), new MessageQueue(counters.name(), counters.stored(), counters.consumed(),
                    limits.apply(counters.name())));
        }
        store.forEachMessage(stored -> {
            queues.computeIfAbsent(stored.queue(), name -> new MessageQueue(name, 0, 0, limits.apply(name)))
                    .restore(new Message(stored.id(), stored.flags(), null, stored.size(), stored.storedAt(),
                            stored.expiresAt()));
            lastId.accumulateAndGet(stored.id(), Math::max);
        });
        for (MessageQueue queue : queues.values()) {
            queue.reconcile();
        }
    }

    /** The next message id; callers take it in submission order, so ids are FIFO order. */
    long nextId() {
        return lastId.incrementAndGet();
    }

    MessageQueue get(String name) {
        return queues.get(name);
    }

    boolean contains(String name) {
        return queues.containsKey(name);
    }

    MessageQueue getOrCreate(String name) {
        return queues.computeIfAbsent(name, n -> new MessageQueue(n, 0, 0, limits.apply(n)));
    }

    /** Puts back a queue whose drop failed, merged into one made since under its name. */
    void reinstate(MessageQueue queue) {
        queues.merge(queue.name(), queue, (current, dropped) -> {
            current.absorb(dropped);
            return current;
        });
    }

    MessageQueue remove(String name) {
        return queues.remove(name);
    }

    Collection<MessageQueue> all() {
        return queues.values();
    }

    /** The counters of the queues changed since the last call: {stored, consumed} by name. */
    Map<String, long[]> changedCounters() {
        Map<String, long[]> counters = new HashMap<>();
        for (MessageQueue queue : queues.values()) {
            long[] changed = queue.takeChangedCounters();
            if (changed != null) {
                counters.put(queue.name(), changed);
            }
        }
        return counters;
    }

    List<QueueSet.QueueStats> stats() {
        List<QueueSet.QueueStats> stats = new ArrayList<>(queues.size());
        for (MessageQueue queue : queues.values()) {
            stats.add(new QueueSet.QueueStats(queue.name(), queue.stored(), queue.consumed(), queue.size()));
        }
        stats.sort(Comparator.comparing(QueueSet.QueueStats::name));
        return stats;
    }

    /** Messages waiting in all queues. */
    long depth() {
        long depth = 0;
        for (MessageQueue queue : queues.values()) {
            depth += queue.size();
        }
        return depth;
    }

    int size() {
        return queues.size();
    }
}
