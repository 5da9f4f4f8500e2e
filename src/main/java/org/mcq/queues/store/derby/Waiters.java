package org.mcq.queues.store.derby;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;

/**
 * Reads waiting for a message ({@code t=}), per queue in arrival order, so they are served fairly.
 * A waiter holds no thread: it is a stage completed by whoever serves it, times it out, or sees its
 * reader go. Whoever takes it out of here owns it, so it is completed once. Not thread-safe:
 * {@link QueueSet} uses it under its lock.
 */
final class Waiters {

    /** A read waiting on {@code queue}; {@link #result} completes with what it got (null: nothing). */
    static final class Waiter {
        final String queue;
        final ReadMode take;
        final Object reader;
        final Room room;
        final CompletableFuture<Delivery> result = new CompletableFuture<>();
        volatile ScheduledFuture<?> timeout;

        Waiter(String queue, ReadMode take, Object reader, Room room) {
            this.queue = queue;
            this.take = take;
            this.reader = reader;
            this.room = room;
        }

        void cancelTimeout() {
            ScheduledFuture<?> scheduled = timeout;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }

    private final Map<String, ArrayDeque<Waiter>> byQueue = new HashMap<>();
    private final Map<Object, Set<Waiter>> byReader = new HashMap<>();
    private int total;

    Waiter add(String queue, ReadMode take, Object reader, Room room) {
        Waiter waiter = new Waiter(queue, take, reader, room);
        byQueue.computeIfAbsent(queue, q -> new ArrayDeque<>()).addLast(waiter);
        byReader.computeIfAbsent(reader, r -> new LinkedHashSet<>()).add(waiter);
        total++;
        return waiter;
    }

    boolean any(String queue) {
        return byQueue.containsKey(queue);
    }

    /** Readers waiting, by queue (only queues with some). */
    Map<String, Integer> countByQueue() {
        Map<String, Integer> counts = new HashMap<>();
        byQueue.forEach((queue, waiting) -> counts.put(queue, waiting.size()));
        return counts;
    }

    /** Takes the queue's longest waiting reader, or null. */
    Waiter next(String queue) {
        ArrayDeque<Waiter> waiting = byQueue.get(queue);
        if (waiting == null) {
            return null;
        }
        Waiter waiter = waiting.pollFirst();
        if (waiting.isEmpty()) {
            byQueue.remove(queue);
        }
        forgetReader(waiter);
        return waiter;
    }

    /** Takes this waiter out (its time is up); false if it was served or cancelled already. */
    boolean remove(Waiter waiter) {
        ArrayDeque<Waiter> waiting = byQueue.get(waiter.queue);
        if (waiting == null || !waiting.remove(waiter)) {
            return false;
        }
        if (waiting.isEmpty()) {
            byQueue.remove(waiter.queue);
        }
        forgetReader(waiter);
        return true;
    }

    /** Takes every waiter of a reader that is gone. */
    List<Waiter> removeReader(Object reader) {
        Set<Waiter> waiting = byReader.remove(reader);
        if (waiting == null) {
            return List.of();
        }
        for (Waiter waiter : waiting) {
            ArrayDeque<Waiter> queue = byQueue.get(waiter.queue);
            queue.remove(waiter);
            if (queue.isEmpty()) {
                byQueue.remove(waiter.queue);
            }
        }
        total -= waiting.size();
        return List.copyOf(waiting);
    }

    /** Takes every waiter (the server stops). */
    List<Waiter> removeAll() {
        List<Waiter> all = new ArrayList<>();
        byReader.values().forEach(all::addAll);
        byQueue.clear();
        byReader.clear();
        total = 0;
        return all;
    }

    /** Reads waiting now, on all queues. */
    int total() {
        return total;
    }

    private void forgetReader(Waiter waiter) {
        Set<Waiter> waiting = byReader.get(waiter.reader);
        waiting.remove(waiter);
        if (waiting.isEmpty()) {
            byReader.remove(waiter.reader);
        }
        total--;
    }
}
