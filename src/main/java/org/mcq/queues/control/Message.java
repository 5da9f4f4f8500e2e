package org.mcq.queues.control;

/**
 * A queued message as the in-memory index holds it. The body stays on the heap while the memory
 * budget allows ({@code cached}); otherwise it is dropped once on disk and read back when consumed.
 */
public final class Message {

    private final long id;
    private final long flags;
    private final int size;
    /** When it was stored, in ms since the epoch (0 if stored by a version that did not record it). */
    private final long storedAt;
    /** When it expires, in ms since the epoch; 0: never. */
    private final long expiresAt;
    private volatile byte[] body;
    private volatile boolean cached;

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
        return expiresAt != 0 && expiresAt <= now || maxAgeMillis > 0 && storedAt != 0 && storedAt + maxAgeMillis <= now;
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
}
