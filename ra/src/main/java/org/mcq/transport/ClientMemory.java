package org.mcq.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

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
    /** Waiting reservations, each in arrival order; small ones are granted first. */
    private final ArrayDeque<Waiter> small = new ArrayDeque<>();
    private final ArrayDeque<Waiter> large = new ArrayDeque<>();
    private long used;
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
    synchronized boolean tryReserve(long bytes) {
        if (bytes > SMALL && !large.isEmpty() || used + bytes > ceiling(bytes)) {
            return false;
        }
        used += bytes;
        return true;
    }

    /**
     * Reserves as soon as there is room, at once if there is now; then {@code granted} runs on the
     * wake-up executor. Checking again here matters: memory released since a failed
     * {@link #tryReserve} would otherwise wake nobody.
     */
    Waiter await(long bytes, Runnable granted) {
        Waiter waiter = new Waiter(bytes, granted);
        synchronized (this) {
            if (!tryReserve(bytes)) {
                waits++;
                (bytes > SMALL ? large : small).addLast(waiter);
                return waiter;
            }
        }
        wakeUps.execute(granted);
        return waiter;
    }

    /** Withdraws a waiting reservation; false if it was granted already (its bytes are reserved). */
    synchronized boolean cancel(Waiter waiter) {
        return (waiter.bytes > SMALL ? large : small).remove(waiter);
    }

    /** Counts bytes that are held already, room or not. */
    synchronized void charge(long bytes) {
        used += bytes;
    }

    void release(long bytes) {
        if (bytes == 0) {
            return;
        }
        List<Waiter> granted;
        synchronized (this) {
            used -= bytes;
            granted = grant();
        }
        for (Waiter waiter : granted) {
            wakeUps.execute(waiter.granted);
        }
    }

    /** Whether more is held than large requests may fill: holders of unsent output should pause. */
    synchronized boolean over() {
        return used > largeLimit;
    }

    synchronized long used() {
        return used;
    }

    synchronized long waits() {
        return waits;
    }

    private List<Waiter> grant() {
        List<Waiter> granted = List.of();
        for (ArrayDeque<Waiter> waiting : List.of(small, large)) {
            Waiter head;
            while ((head = waiting.peekFirst()) != null && used + head.bytes <= ceiling(head.bytes)) {
                used += head.bytes;
                waiting.removeFirst();
                if (granted.isEmpty()) {
                    granted = new ArrayList<>();
                }
                granted.add(head);
            }
        }
        return granted;
    }

    private long ceiling(long bytes) {
        return bytes <= SMALL ? limit : largeLimit;
    }
}
