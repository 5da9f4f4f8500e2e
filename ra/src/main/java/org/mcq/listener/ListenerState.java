package org.mcq.listener;

/**
 * The memcache listener as the application sees it: its counters, whether it holds its port, why
 * not, and a way to keep the port closed while the application cannot serve. Health checks read
 * this rather than probing the port, which any memcache server there would answer.
 */
public interface ListenerState extends TransportStats {

    /** {@code host:port} the listener is bound to; null while none is. */
    String boundAddress();

    /**
     * Why no listener is bound: its settings were refused, its port could not be bound (another
     * program holds it), or the application refused it; null while one is, or before the first try.
     */
    String failure();

    /**
     * Whether the listener waits for its address, which another program holds, trying again every
     * few seconds: the {@link #failure} then passes by itself, and a restart would not mend it sooner.
     */
    boolean waitsForAddress();

    /**
     * Keeps the port closed, for {@code reason}: a listener that is open closes, and none opens from
     * now on. The application calls it when it cannot start, so that clients find no port rather
     * than one that answers every command with an error.
     */
    void refuse(String reason);
}
