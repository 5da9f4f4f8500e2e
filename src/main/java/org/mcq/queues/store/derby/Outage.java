package org.mcq.queues.store.derby;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the store refuses writes, and whether no-sync operations must therefore be held: take
 * effect and be acknowledged only once written, failing with their batch, as in sync mode. They
 * are held while the store refuses writes, so that no new write is acknowledged that only memory
 * holds, and after it until every op held so is written or failed, so that effects stay in
 * submission order (a queue's messages in id order, a delete after the sets before it). Sync mode
 * holds every op anyway and asks only for the reason.
 */
final class Outage {

    /**
     * One while the store refuses writes, plus one per held op not yet written or failed: what
     * every no-sync {@code set} asks, in one read.
     */
    private final AtomicInteger holds = new AtomicInteger();
    /** Why the last write failed, or null while writes succeed; the writer's thread alone changes it. */
    private volatile String reason;

    /** Whether an op submitted now in no-sync mode must be held. */
    boolean holding() {
        return holds.get() != 0;
    }

    String reason() {
        return reason;
    }

    /** An op is submitted held (before it can be written). */
    void hold() {
        holds.incrementAndGet();
    }

    /** A held op took effect once written, or failed. */
    void release() {
        holds.decrementAndGet();
    }

    /** The writer: a batch was refused; whether this begins an outage. */
    boolean refused(String why) {
        boolean began = reason == null;
        reason = why == null ? "write failed" : why;
        if (began) {
            holds.incrementAndGet();
        }
        return began;
    }

    /** The writer: a batch was written; whether this ends an outage. */
    boolean written() {
        if (reason == null) {
            return false;
        }
        reason = null;
        holds.decrementAndGet();
        return true;
    }
}
