package org.mcq.transport;

import java.nio.ByteBuffer;

/**
 * One client connection as its {@link Session} writes to it, whatever carries it: a Grizzly TCP
 * connection ({@link GrizzlyWire}) or a unix socket ({@link UnixConnection}).
 */
interface Wire {

    boolean isOpen();

    /**
     * Queues {@code segments} to be written after what is queued, in order; {@code sent} runs once
     * they have left, or failed to (the connection closed), on whichever thread sees it.
     */
    void write(ByteBuffer[] segments, Runnable sent);

    /** Whether the output queued is below the connection's limit. */
    boolean canWrite();

    /** Runs {@code writable} once the output queued is below the limit again, or the connection failed. */
    void whenWritable(Runnable writable);

    /** Closes once what was queued is out. */
    void close();
}
