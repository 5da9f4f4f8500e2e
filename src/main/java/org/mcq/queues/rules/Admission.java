package org.mcq.queues.rules;

/**
 * The full policy, for both stores: whether one more message joins a queue within its limits, and
 * which messages leave first to make room. Only waiting messages count (reads open are out of the
 * queue); a {@code drop-oldest} queue drops its oldest waiting messages, counted as discarded,
 * until the new one fits, and refuses it only when nothing is left to drop (Kestrel's
 * {@code discardOldWhenFull}); a {@code reject} queue refuses it at once, and so does any queue
 * a message larger than its limit itself.
 */
public final class Admission {

    /**
     * A queue as its store counts it at this moment, its oldest waiting message first.
     *
     * @param <X> what dropping can fail with (a database's)
     */
    public interface Occupancy<X extends Exception> {
        long messages();

        long bytes();

        /** Takes out the oldest waiting message, to be counted as discarded; false if none can go. */
        boolean dropOldest() throws X;
    }

    private Admission() {
    }

    /** Whether a message of {@code size} may join the queue; a {@code drop-oldest} queue has made room for it if so. */
    public static <X extends Exception> boolean admit(QueueLimits limits, Occupancy<X> queue, int size) throws X {
        if (!limits.bounded() || limits.fits(queue.messages(), queue.bytes(), size)) {
            return true;
        }
        if (!limits.dropOldest() || !limits.fits(0, 0, size)) {
            return false; // larger than the limit itself: dropping everything would not make room
        }
        while (!limits.fits(queue.messages(), queue.bytes(), size)) {
            if (!queue.dropOldest()) {
                return false;
            }
        }
        return true;
    }
}
