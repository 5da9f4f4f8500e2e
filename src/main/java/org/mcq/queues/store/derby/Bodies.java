package org.mcq.queues.store.derby;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.mcq.queues.api.StorageException;

/**
 * Message bodies: kept on the heap up to a budget; beyond it, dropped once on disk and read back
 * when consumed, on the read executor (a selector thread must never wait for the disk).
 */
final class Bodies {

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final MessageStore store;
    private final Executor reads;

    Bodies(long limit, MessageStore store, Executor reads) {
        this.limit = limit;
        this.store = store;
        this.reads = reads;
    }

    /** Whether a new body of this size may stay on the heap; if so, it is counted until released. */
    boolean tryKeep(int bytes) {
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

    /** The message's body no longer needs the heap budget (delivered, dropped, or never stored). */
    void release(Message message) {
        if (message.cached()) {
            used.addAndGet(-message.size());
        }
    }

    void releaseAll(MessageQueue queue) {
        for (Message message : queue.snapshot()) {
            release(message);
        }
    }

    long used() {
        return used.get();
    }

    /**
     * Reads an evicted body back; the stage fails if it cannot be read. Reads of one message at once
     * share one read: a peek and a pop of the same message in one command (or two at once) both get
     * the body, and the pop's removal, which waits for its read, cannot overtake the peek's.
     */
    CompletableFuture<byte[]> readBack(Message message) {
        synchronized (message) {
            CompletableFuture<byte[]> reading = message.reading();
            if (reading != null) {
                return reading;
            }
            CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
                try {
                    byte[] body = store.body(message.id());
                    if (body == null) {
                        throw new MissingMessage(message.id());
                    }
                    return body;
                } catch (StorageException e) {
                    throw new CompletionException(e);
                }
            }, reads);
            message.reading(read);
            read.whenComplete((body, failure) -> message.readDone(read));
            return read;
        }
    }
}
