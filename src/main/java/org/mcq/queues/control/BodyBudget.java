package org.mcq.queues.control;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes of message bodies the index may keep on the heap; beyond it bodies are read from disk. */
final class BodyBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    BodyBudget(long limit) {
        this.limit = limit;
    }

    boolean tryReserve(int bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(int bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }
}
