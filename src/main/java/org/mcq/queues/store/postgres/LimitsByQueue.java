package org.mcq.queues.store.postgres;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.mcq.queues.rules.QueueLimits;

/**
 * Each queue's limits, asked of the configuration once per queue and kept: every batch needs them
 * for each of its queues, and a configuration lookup is four property reads. (Derby's queues keep
 * theirs in their in-memory queue; the shared store has no such object.) Forgotten with the queue;
 * and all at once past a bound, so a queue per job does not grow it without end.
 */
final class LimitsByQueue {

    private static final int MOST = 100_000;

    private final Function<String, QueueLimits> configured;
    private final Map<String, QueueLimits> known = new ConcurrentHashMap<>();

    LimitsByQueue(Function<String, QueueLimits> configured) {
        this.configured = configured;
    }

    QueueLimits of(String queue) {
        QueueLimits limits = known.get(queue);
        if (limits == null) {
            if (known.size() >= MOST) {
                known.clear();
            }
            limits = known.computeIfAbsent(queue, configured);
        }
        return limits;
    }

    void forget(String queue) {
        known.remove(queue);
    }

    void forgetAll() {
        known.clear();
    }
}
