package org.mcq.queues.store.derby;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import org.mcq.queues.rules.Expiry;

/**
 * A queued message as the in-memory index holds it. The body stays on the heap while the memory
 * budget allows ({@code cached}); otherwise it is dropped once on disk and read back when consumed.
 */
public final class Message {

    private static final VarHandle UNWRITTEN;

    static {
        try {
            UNWRITTEN = MethodHandles.lookup().findVarHandle(Message.class, "unwritten", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long id;
    private final long flags;
    private final int size;
    /** When it was stored, in ms since the epoch (0 if stored by a version that did not record it). */
    private final long storedAt;
    /** When it expires, in ms since the epoch; 0: never. */
    private final long expiresAt;
    private volatile byte[] body;
    private volatile boolean cached;
    /**
     * Its insert waits for the writer. Cleared once, by whichever comes first: the writer taking the
     * insert, or a no-sync pop (then the row need never be written and the body may die young).
     */
    private volatile boolean unwritten;

    Message(long id, long flags, byte[] body, int size) {
        this(id, flags, body, size, 0, 0);
    }

    Message(long id, long flags, byte[] body, int size, long storedAt, long expiresAt) {
        this.id = id;
        this.flags = flags;
        this.body = body;
        this.size = size;
        this.storedAt = storedAt;
        this.expiresAt = expiresAt;
    }

    public long storedAt() {
        return storedAt;
    }

    public long expiresAt() {
        return expiresAt;
    }

    /** Whether it may no longer be delivered at {@code now}: expired, or older than {@code maxAgeMillis} (0: no limit). */
    boolean expired(long now, long maxAgeMillis) {
        return Expiry.expired(expiresAt, storedAt, now, maxAgeMillis);
    }

    public long id() {
        return id;
    }

    public long flags() {
        return flags;
    }

    public int size() {
        return size;
    }

    /** The body if it is held in memory, else null (it is on disk). */
    byte[] body() {
        return body;
    }

    boolean cached() {
        return cached;
    }

    void cache(boolean cached) {
        this.cached = cached;
    }

    void evict() {
        body = null;
    }

    /** Its body being read back now, or null (see {@link Bodies#readBack}); guarded by this message. */
    private CompletableFuture<byte[]> reading;

    CompletableFuture<byte[]> reading() {
        return reading;
    }

    void reading(CompletableFuture<byte[]> read) {
        reading = read;
    }

    void readDone(CompletableFuture<byte[]> read) {
        synchronized (this) {
            if (reading == read) {
                reading = null;
            }
        }
    }

    /** Called by its insert before the message is published. */
    void awaitWrite() {
        unwritten = true;
    }

    /** The writer: whether the insert is still to be written (false: a no-sync pop came first). */
    boolean takeForWrite() {
        return UNWRITTEN.compareAndSet(this, true, false);
    }

    /** A no-sync pop: whether it came before the writer; if so the insert is skipped and the body let go. */
    boolean consumedUnwritten() {
        if (UNWRITTEN.compareAndSet(this, true, false)) {
            body = null;
            return true;
        }
        return false;
    }
}
