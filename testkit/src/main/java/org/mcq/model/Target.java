package org.mcq.model;

/**
 * What the model is run against: one or more servers sharing the queues (real ones over TCP, or a
 * store's engine in this JVM), which the driver connects to, restarts and crashes.
 */
public interface Target extends AutoCloseable {

    /** How many servers share the queues. */
    int servers();

    /** A new client connection to the server. */
    Link connect(int server) throws Exception;

    /** Stops the server cleanly and starts it again; its connections are gone (the driver closed them first). */
    void restart(int server) throws Exception;

    /** Crashes the server (nothing is flushed, no hook runs) and starts it again. */
    void kill(int server) throws Exception;

    /** Whether {@link #kill} is supported. */
    boolean canKill();
}
