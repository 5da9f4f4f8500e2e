package org.mcq.queues.store.postgres;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * Reads waiting for a message (Kestrel's {@code t=}) on this server, by queue, in arrival order.
 * Each arrival on a queue, from this server, announced by another or found by
 * {@link MissedArrivals}, sends its waiters to try again; an arrival between a read's try and its
 * return here sends it back at once, so none is missed. Nothing else sends them: a queue where
 * nothing arrives costs its waiters no read. No thread waits: deadlines run on the timer.
 */
final class Waiters {

    /**
     * Arrivals counted by a hash of the queue's name, not per name: a queue per job would otherwise
     * leave a counter per name ever used. Queues sharing a stripe only send a waiter to try once
     * more than it needed to.
     */
    private static final int STRIPES = 4096;

    private final Map<String, ArrayDeque<Take>> byQueue = new HashMap<>();
    /**
     * Readers whose input ended, or who are gone: a read of theirs that comes here (it was on its
     * lane when they ended) ends at once instead of waiting for a message it would take for nobody.
     * Held weakly: a connection's mark goes with the connection.
     */
    private final Set<Object> ended = Collections.newSetFromMap(new WeakHashMap<>());
    private final AtomicLongArray arrivals = new AtomicLongArray(STRIPES);
    private final Consumer<Take> retry;
    private final Consumer<String> firstWaiter;
    private final ScheduledExecutorService timers;

    /**
     * @param retry       sends a read to try again (to its lane)
     * @param firstWaiter told when a queue gets a waiting read while it had none
     */
    Waiters(Consumer<Take> retry, Consumer<String> firstWaiter, ScheduledExecutorService timers) {
        this.retry = retry;
        this.firstWaiter = firstWaiter;
        this.timers = timers;
    }

    /**
     * How many arrivals the queue (and those sharing its stripe) has seen; a read notes it before it
     * tries.
     */
    long arrivals(String queue) {
        return arrivals.get(stripe(queue));
    }

    private static int stripe(String queue) {
        return Math.floorMod(queue.hashCode(), STRIPES);
    }

    /** A read that found nothing waits here for an arrival or its deadline. */
    void await(Take take) {
        boolean missed;
        boolean first = false;
        boolean over;
        synchronized (this) {
            over = ended.contains(take.reader);
            missed = !over && arrivals(take.queue) != take.seenArrivals;
            if (!missed && !over) {
                ArrayDeque<Take> queue = byQueue.get(take.queue);
                if (queue == null) {
                    queue = new ArrayDeque<>();
                    byQueue.put(take.queue, queue);
                    first = true;
                }
                queue.add(take);
            }
        }
        if (over) {
            take.expire();
            return;
        }
        if (first) {
            firstWaiter.accept(take.queue);
        }
        if (missed) {
            retry.accept(take);
        } else if (take.timeout == null) {
            long left = take.deadlineNanos - System.nanoTime();
            take.timeout = timers.schedule(() -> expire(take), Math.max(0, left), TimeUnit.NANOSECONDS);
        }
    }

    private void expire(Take take) {
        if (take.expire()) {
            synchronized (this) {
                ArrayDeque<Take> queue = byQueue.get(take.queue);
                if (queue != null) {
                    queue.remove(take);
                    if (queue.isEmpty()) {
                        byQueue.remove(take.queue);
                    }
                }
            }
        }
    }

    /** Messages arrived on (or came back to) the queue: its waiters try again, first come first. */
    void arrived(String queue) {
        ArrayDeque<Take> woken;
        synchronized (this) {
            arrivals.incrementAndGet(stripe(queue));
            woken = byQueue.remove(queue);
        }
        if (woken != null) {
            woken.forEach(retry);
        }
    }

    /** The queues reads wait on now. */
    synchronized Set<String> queues() {
        return Set.copyOf(byQueue.keySet());
    }

    /** Whether the reader's input ended or its connection is gone (see {@link #readerEnded}). */
    synchronized boolean ended(Object reader) {
        return ended.contains(reader);
    }

    /**
     * The reader's input ended or its connection is gone: its waiting reads end with nothing, and so
     * do those it begins or that come back from their lane from now on.
     */
    void readerEnded(Object reader) {
        List<Take> gone = new ArrayList<>();
        synchronized (this) {
            ended.add(reader);
            for (ArrayDeque<Take> queue : byQueue.values()) {
                queue.removeIf(take -> take.reader == reader && gone.add(take));
            }
            byQueue.values().removeIf(ArrayDeque::isEmpty);
        }
        gone.forEach(Take::expire);
    }

    /** Waiting reads by queue. */
    synchronized Map<String, Integer> counts() {
        Map<String, Integer> counts = new HashMap<>();
        byQueue.forEach((queue, takes) -> counts.put(queue, takes.size()));
        return counts;
    }

    /** Stopping: every waiting read ends with nothing. */
    void endAll() {
        List<Take> all = new ArrayList<>();
        synchronized (this) {
            byQueue.values().forEach(all::addAll);
            byQueue.clear();
        }
        all.forEach(Take::expire);
    }
}
