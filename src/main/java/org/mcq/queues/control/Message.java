package org.mcq.queues.control;

/**
 * A queued message as the in-memory index holds it. The body stays on the heap while the memory
 * budget allows ({@code cached}); otherwise it is dropped once on disk and read back when consumed.
 */
public final class Message {

    private final long id;
    private final long flags;
    private final int size;
    private volatile byte[] body;
    private volatile boolean cached;

    Message(long id, long flags, byte[] body, int size) {
        this.id = id;
        this.flags = flags;
        this.body = body;
        this.size = size;
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
