package org.mcq.queues.store.postgres;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;

/**
 * A read: pop, open or peek of a queue's head, which may wait for a message until its deadline.
 * Between its tries it waits in {@link Waiters}; its state decides once whether it is served or
 * times out, so a message is never taken for a read that has already answered.
 */
final class Take implements SharedOp {

    private static final int WAITING = 0;
    private static final int TRYING = 1;
    private static final int DONE = 2;

    final String queue;
    final ReadMode mode;
    final Object reader;
    final Room room;
    final long deadlineNanos;
    /** Whether it may wait for a message ({@code t=}). */
    final boolean waits;
    final CompletableFuture<Delivery> result = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(WAITING);
    /** Arrivals on the queue seen before the latest try: a later one means try again. */
    volatile long seenArrivals;
    volatile ScheduledFuture<?> timeout;
    /** An open read's entry in its connection's {@link OpenReads}: its lease, or null if it takes nothing. */
    final CompletableFuture<Lease> lease;

    Take(String queue, ReadMode mode, Object reader, Room room, long waitMillis,
         CompletableFuture<Lease> lease) {
        this.queue = queue;
        this.mode = mode;
        this.reader = reader;
        this.room = room;
        this.lease = lease;
        this.deadlineNanos = System.nanoTime() + waitMillis * 1_000_000;
        this.waits = waitMillis > 0;
    }

    @Override
    public String queue() {
        return queue;
    }

    /** Whether this try may take a message: false once it has answered. */
    boolean beginTry() {
        return state.compareAndSet(WAITING, TRYING);
    }

    /** The try found nothing: waits again, unless its time is up (then answers "nothing"); whether it waits. */
    boolean endTryEmpty() {
        if (System.nanoTime() - deadlineNanos < 0) {
            state.set(WAITING);
            return true;
        }
        finish(null);
        return false;
    }

    /** Answers with what the try took (null: nothing). */
    void finish(Delivery delivery) {
        state.set(DONE);
        cancelTimeout();
        tookNothing();
        result.complete(delivery);
    }

    /** Its time is up while waiting: answers "nothing", unless a try is under way (which answers). */
    boolean expire() {
        if (state.compareAndSet(WAITING, DONE)) {
            tookNothing();
            result.complete(null);
            return true;
        }
        return false;
    }

    @Override
    public void fail(Throwable cause) {
        state.set(DONE);
        cancelTimeout();
        tookNothing();
        result.completeExceptionally(cause);
    }

    /** An open read that answers without a lease holds nothing (one that took a message has its lease already). */
    private void tookNothing() {
        if (lease != null) {
            lease.complete(null);
        }
    }

    private void cancelTimeout() {
        ScheduledFuture<?> scheduled = timeout;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
