package org.mcq.queues.store.derby;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;

/**
 * Reads of a queue's head (MemcacheQ's pop, Kestrel's open, a peek) and the reads that wait for a
 * message: what is taken under the queues' lock, and its delivery after it, its body read back from
 * disk if it was evicted ({@link Deliveries}).
 */
final class Reads {

    private final QueueState state;
    private final QueueIndex index;
    private final OpenReads openReads;
    private final Waiters waiters;
    private final AtomicLong expired;
    private final QueueSet.Settings settings;
    private final ScheduledExecutorService timers;
    private final GroupCommit writer;
    private final Bodies bodies;
    private final boolean sync;
    private final Object order;
    private final Deliveries afterLock;

    Reads(QueueState state) {
        this.state = state;
        this.index = state.index;
        this.openReads = state.openReads;
        this.waiters = state.waiters;
        this.expired = state.expired;
        this.settings = state.settings;
        this.timers = state.timers;
        this.writer = state.writer;
        this.bodies = state.bodies;
        this.sync = state.sync;
        this.order = state.order;
        this.afterLock = new Deliveries(state);
    }

    /**
     * Takes the head of a queue; the stage yields null if it is empty or unknown (an unknown queue is
     * not created). In sync mode the stage completes once the removal is on disk, so a message is
     * never sent that a crash could bring back. {@code room} is asked for the head's size before it
     * is taken; if it refuses, nothing is taken and the result is {@link QueueOperations#NO_ROOM}. If the message
     * cannot be delivered after all (its body cannot be read back, the writer is stopping), it goes
     * back to the head of its queue, its room is released, and the stage fails.
     */
    CompletableFuture<Delivery> get(String name, Room room) {
        return read(name, ReadMode.POP, null, room, 0);
    }

    /**
     * Reads the head of a queue as {@code take} says, for {@code reader} (the connection, compared
     * by identity; it holds what it opens). If the queue is empty and {@code waitMillis} is positive,
     * the read waits that long for a message (the caller applies {@code mcq.max.wait.ms}: see
     * {@code MemcacheCommands}) without holding a thread, served in arrival order; it yields null
     * when its time is up or its reader goes. The reader's allowance of open reads is the caller's
     * to apply (see {@code MemcacheCommands}), once for both stores. Otherwise as {@link #get}.
     */
    CompletableFuture<Delivery> read(String name, ReadMode take, Object reader, Room room, long waitMillis) {
        Taken taken;
        Waiters.Waiter waiter = null;
        synchronized (order) {
            MessageQueue queue = settings.fanout() ? index.getOrSubscribe(name) : index.get(name);
            taken = queue == null ? null : take(queue, take, reader, room);
            if (taken == null && waitMillis > 0) {
                waiter = waiters.add(name, take, reader, room);
            }
        }
        if (waiter == null) {
            return afterLock.deliver(taken);
        }
        Waiters.Waiter waiting = waiter;
        waiter.timeout = timers.schedule(() -> timedOut(waiting), waitMillis, TimeUnit.MILLISECONDS);
        return waiter.result;
    }

    /**
     * Under the lock: takes the head of {@code queue} as {@code take} says, if the room takes its
     * size; null if the queue is empty, {@link Taken#NO_ROOM} if the room refused.
     */
    private Taken take(MessageQueue queue, ReadMode take, Object reader, Room room) {
        dropExpiredHead(queue);
        Message message = take == ReadMode.PEEK ? queue.peek() : queue.poll();
        if (message == null) {
            return null;
        }
        if (!room.reserve(message.size())) {
            if (take != ReadMode.PEEK) {
                queue.unpoll(message);
            }
            return Taken.NO_ROOM;
        }
        // taken before the removal is queued: once written, the body could no longer be read back
        byte[] body = message.body();
        Consume consume = null;
        if (take == ReadMode.POP) {
            consume = new Consume(message);
            if (body != null && !sync) {
                if (!writer.submit(consume)) {
                    queue.unpoll(message);
                    room.release(message.size());
                    return new Taken(queue.name(), message, null, null, reader, room, null, null);
                }
                if (message.consumedUnwritten()) {
                    // never written now, and its body need not live until the next flush (under
                    // a load of large bodies it would reach the old generation)
                    writer.skipped(message.size());
                }
            }
        }
        OpenReads.OpenRead open = take == ReadMode.OPEN ? openReads.add(reader, queue.name(), message, body != null) : null;
        return new Taken(queue.name(), message, body, take, reader, room, consume, open);
    }

    /** Under the lock: messages at the head that may no longer be delivered leave, counted as expired. */
    private void dropExpiredHead(MessageQueue queue) {
        long maxAge = queue.limits().maxAgeMillis();
        if (!settings.expiry() && maxAge <= 0) {
            return; // MemcacheQ's behaviour, and no clock read per read
        }
        long now = System.currentTimeMillis();
        List<Message> gone = new ArrayList<>(0);
        Message head;
        while ((head = queue.peek()) != null && head.expired(now, maxAge)) {
            queue.expireHead();
            bodies.release(head);
            gone.add(head);
        }
        state.remove(gone);
        expired.addAndGet(gone.size());
    }

    /**
     * Under the lock: hands the queue's messages to its waiting reads, longest waiting first; the
     * deliveries returned are to be run after the lock is released (none, and nothing allocated,
     * when nobody waits: the common case of every set).
     */
    List<Runnable> serveWaiters(String name) {
        if (!waiters.any(name)) {
            return List.of();
        }
        List<Runnable> deliveries = new ArrayList<>();
        MessageQueue queue = index.get(name);
        while (queue != null && queue.size() > 0) {
            Waiters.Waiter waiter = waiters.next(name);
            if (waiter == null) {
                break;
            }
            Taken taken = take(queue, waiter.take, waiter.reader, waiter.room);
            deliveries.add(() -> {
                waiter.cancelTimeout();
                afterLock.deliver(taken).whenComplete((delivery, failure) -> {
                    if (failure != null) {
                        waiter.result.completeExceptionally(failure);
                    } else {
                        waiter.result.complete(delivery); // null too when the room refused: nothing was taken
                    }
                });
            });
        }
        return deliveries;
    }

    /** A message became visible on the queue (sync mode: committed): serves its waiting reads. */
    void arrived(String name) {
        List<Runnable> deliveries;
        synchronized (order) {
            deliveries = serveWaiters(name);
        }
        deliveries.forEach(Runnable::run);
    }

    private void timedOut(Waiters.Waiter waiter) {
        boolean mine;
        synchronized (order) {
            mine = waiters.remove(waiter);
        }
        if (mine) {
            waiter.result.complete(null);
        }
    }
}
