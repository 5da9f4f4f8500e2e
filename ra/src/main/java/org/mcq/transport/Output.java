package org.mcq.transport;

import java.util.concurrent.CompletableFuture;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.WriteHandler;
import org.glassfish.grizzly.WriteResult;
import org.mcq.protocol.Reply;

/**
 * One connection's way out: replies gathered and written in order, their memory counted in the
 * client budget until they have left the socket, and the backpressure that follows from both.
 */
final class Output {

    private final Connection<?> connection;
    private final ConnectionCounters counters;
    private final ConnectionMemory memory;
    private final ReplyBuffer replies = new ReplyBuffer();
    private volatile boolean closing;

    /** A write handed to Grizzly: its memory is free once it has left, or failed to. */
    private final class Sent implements CompletionHandler<WriteResult> {
        private final long bytes;

        Sent(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public void cancelled() {
            memory.sent(bytes);
        }

        @Override
        public void failed(Throwable throwable) {
            memory.sent(bytes);
        }

        @Override
        public void completed(WriteResult result) {
            memory.sent(bytes);
        }

        @Override
        public void updated(WriteResult result) {
        }
    }

    Output(Connection<?> connection, ConnectionCounters counters, ConnectionMemory memory) {
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
        write(replies.drain(connection.getMemoryManager()), new Sent(size));
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // Connection<?>'s write is typed by its peer address
    private void write(Buffer buffer, Sent sent) {
        ((Connection) connection).write(buffer, sent);
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
        connection.notifyCanWrite(new WriteHandler() {
            @Override
            public void onWritePossible() {
                writable.complete(null);
            }

            @Override
            public void onError(Throwable t) {
                writable.complete(null);
            }
        });
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
