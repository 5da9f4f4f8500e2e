package org.mcq.transport;

import java.util.concurrent.CompletableFuture;
import org.mcq.protocol.Reply;

/**
 * One connection's way out: replies gathered and written in order, their memory counted in the
 * client budget until they have left the socket, and the backpressure that follows from both.
 */
final class Output {

    private final Wire connection;
    private final ConnectionCounters counters;
    private final ConnectionMemory memory;
    private final ReplyBuffer replies = new ReplyBuffer();
    private volatile boolean closing;

    Output(Wire connection, ConnectionCounters counters, ConnectionMemory memory) {
        this.connection = connection;
        this.counters = counters;
        this.memory = memory;
    }

    void add(Reply reply) {
        replies.add(reply);
    }

    /** A chunk of a streamed reply. */
    void add(byte[] chunk) {
        replies.add(chunk);
    }

    /** Whether the connection is open: a long reply stops being made once nobody is there for it. */
    boolean open() {
        return connection.isOpen();
    }

    /** Bytes gathered and not yet written. */
    int gathered() {
        return replies.size();
    }

    /** Writes what is gathered, as one write. */
    void flush() {
        int size = replies.size();
        if (size == 0) {
            return;
        }
        counters.written(size);
        memory.sending(size, replies.reservedBodies());
        connection.write(replies.drain(), () -> memory.sent(size));
    }

    /** Too much of this connection's output waits for the socket, or the memory budget is over. */
    boolean backlogged() {
        return !connection.canWrite() || memory.mustDrain();
    }

    /**
     * Completes when the connection may be read again: its pending output is below the per-connection
     * limit, or (the budget being over) all of it is out. Counted as an output stall.
     */
    CompletableFuture<Reply> drained() {
        counters.outputStall();
        if (connection.canWrite()) {
            return memory.drained().thenApply(out -> (Reply) null);
        }
        CompletableFuture<Reply> writable = new CompletableFuture<>();
        connection.whenWritable(() -> writable.complete(null));
        return writable;
    }

    /** Writes what is gathered, then closes gracefully: what was written goes out first. */
    void close() {
        closing = true;
        flush();
        connection.close();
    }

    /** Closed, or closing once what was written is out: nothing more is to be read for it. */
    boolean closed() {
        return closing || !connection.isOpen();
    }
}
