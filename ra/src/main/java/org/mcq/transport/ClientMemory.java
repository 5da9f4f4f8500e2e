package org.mcq.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one budget for what clients make the server hold, across all connections: data blocks of
 * requests being received, bodies taken for replies, and replies not yet written to the socket.
 *
 * <p>Outside it: what a connection waiting for room has already read (at most one read,
 * {@link MemcacheServer#READ_BUFFER}), and each connection's line buffer (at most the line limit).
 *
 * <p>Large requests (over {@link #SMALL} bytes) may fill only three quarters of it; the last quarter
 * is kept for small ones, so that clients holding many large unfinished bodies cannot starve
 * ordinary traffic. A reservation that does not fit waits, in arrival order among large ones (a
 * small one may pass a large one), and is granted when memory is released. Replies already made
 * are charged whether or not they fit ({@link #charge}); a connection holding unsent output stops
 * being read while the budget is over ({@link #over()}).
 *
 * <p>Every set, get and write passes here several times, from the selector, writer and write
 * completion threads at once, so the count is one atomic and the monitor is taken only when
 * reservations wait.
 */
final class ClientMemory {

    /** Requests up to this size may use the whole budget; larger ones three quarters of it. */
    static final int SMALL = 64 * 1024;

    /** A reservation waiting for memory; {@code granted} runs once it is made. */
    static final class Waiter {
        private final long bytes;
        private final Runnable granted;

        Waiter(long bytes, Runnable granted) {
            this.bytes = bytes;
            this.granted = granted;
        }
    }

    private final long limit;
    private final long largeLimit;
    private final Executor wakeUps;
    private final AtomicLong used = new AtomicLong();
    /** Waiting reservations, each in arrival order; small ones are granted first. Guarded by this. */
    private final ArrayDeque<Waiter> small = new ArrayDeque<>();
    private final ArrayDeque<Waiter> large = new ArrayDeque<>();
    /** Sizes of the deques, readable without the monitor. */
    private volatile int waiting;
    private volatile int largeWaiting;
    private long waits;

    /**
     * @param wakeUps runs the continuations of granted waiters, off the thread that released memory
     */
    ClientMemory(long limit, Executor wakeUps) {
        this.limit = limit;
        this.largeLimit = limit / 4 * 3;
        this.wakeUps = wakeUps;
    }

    long limit() {
        return limit;
    }

    /** Whether a reservation of this size could ever be granted. */
    boolean fits(long bytes) {
        return bytes <= largeLimit;
    }

    /** Reserves now if there is room and no earlier large reservation is waiting. */
    boolean tryReserve(long bytes) {
        return !(bytes > SMALL && largeWaiting > 0) && reserveIfRoom(bytes);
    }

    private boolean reserveIfRoom(long bytes) {
        long ceiling = bytes <= SMALL ? limit : largeLimit;
        while (true) {
            long now = used.get();
            if (now + bytes > ceiling) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /**
     * Reserves as soon as there is room, at once if there is now; then {@code granted} runs on the
     * wake-up executor. After queueing it looks again: a release that read no waiters before this
     * one was queued has lowered the count this second look sees.
     */
    Waiter await(long bytes, Runnable granted) {
        Waiter waiter = new Waiter(bytes, granted);
        List<Waiter> ready;
        synchronized (this) {
            if (tryReserve(bytes)) {
                ready = List.of(waiter);
            } else {
                waits++;
                (bytes > SMALL ? large : small).addLast(waiter);
                counted();
                ready = grant();
            }
        }
        ready.forEach(w -> wakeUps.execute(w.granted));
        return waiter;
    }

    /** Withdraws a waiting reservation; false if it was granted already (its bytes are reserved). */
    synchronized boolean cancel(Waiter waiter) {
        boolean removed = (waiter.bytes > SMALL ? large : small).remove(waiter);
        counted();
        return removed;
    }

    /** Counts bytes that are held already, room or not. */
    void charge(long bytes) {
        used.addAndGet(bytes);
    }

    void release(long bytes) {
        if (bytes == 0) {
            return;
        }
        used.addAndGet(-bytes);
        if (waiting > 0) {
            List<Waiter> granted;
            synchronized (this) {
                granted = grant();
            }
            granted.forEach(w -> wakeUps.execute(w.granted));
        }
    }

    /** Whether more is held than large requests may fill: holders of unsent output should pause. */
    boolean over() {
        return used.get() > largeLimit;
    }

    long used() {
        return used.get();
    }

    synchronized long waits() {
        return waits;
    }

    /** Grants waiting reservations in order while they fit. Called holding the monitor. */
    private List<Waiter> grant() {
        List<Waiter> granted = List.of();
        for (ArrayDeque<Waiter> queue : List.of(small, large)) {
            Waiter head;
            while ((head = queue.peekFirst()) != null && reserveIfRoom(head.bytes)) {
                queue.removeFirst();
                if (granted.isEmpty()) {
                    granted = new ArrayList<>();
                }
                granted.add(head);
            }
        }
        counted();
        return granted;
    }

    private void counted() {
        waiting = small.size() + large.size();
        largeWaiting = large.size();
    }
}
