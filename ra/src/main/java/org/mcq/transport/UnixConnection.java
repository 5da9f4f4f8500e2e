package org.mcq.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One unix-socket client: its channel, registered with the {@link UnixListener}'s selector, as the
 * {@link Wire} its session writes to and the {@link HeldRead} it suspends. Writes are tried at once
 * on the writer's thread; what the socket does not take waits in order, written when the selector
 * says it may, so no thread ever waits for the client. Reads happen on the selector thread.
 */
final class UnixConnection implements Wire, HeldRead {

    /** One write: its segments, and what runs once they are out. */
    private record Queued(ByteBuffer[] segments, long bytes, Runnable sent) {
    }

    private final SocketChannel channel;
    private final SelectionKey key;
    private final UnixListener listener;
    private final ConnectionCounters counters;
    private final long maxPendingOutput;
    private final Consumer<UnixConnection> whenClosed;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private Session session;

    // guarded by this
    private final ArrayDeque<Queued> queued = new ArrayDeque<>();
    private long queuedBytes;
    private List<Runnable> writableWaiters = new ArrayList<>();
    private boolean closing;
    private boolean gone;
    /** Whether the selector is asked to say when the socket takes more: cleared only when set, so a reply
     *  written at once from another thread costs no selector wake-up. */
    private boolean writeInterest;

    UnixConnection(SocketChannel channel, SelectionKey key, UnixListener listener, ConnectionCounters counters,
                   long maxPendingOutput, Consumer<UnixConnection> whenClosed) {
        this.counters = counters;
        this.channel = channel;
        this.key = key;
        this.listener = listener;
        this.maxPendingOutput = maxPendingOutput;
        this.whenClosed = whenClosed;
    }

    void attach(Session session) {
        this.session = session;
    }

    Session session() {
        return session;
    }

    /** Completes once the connection is closed and its session told. */
    CompletableFuture<Void> closedFuture() {
        return closed;
    }

    /** On the selector thread: the channel has bytes, or its end. */
    void readable(ByteBuffer buffer) {
        buffer.clear();
        int read;
        try {
            read = channel.read(buffer);
        } catch (IOException e) {
            closeNow();
            return;
        }
        if (read < 0) {
            // an ended stream stays readable: reading it again would spin until the close
            listener.interest(key, SelectionKey.OP_READ, false);
            if (!session.inputEnds()) {
                close();
            }
            return;
        }
        if (read > 0) {
            buffer.flip();
            counters.read(read);
            session.received(this, buffer);
        }
    }

    /** On the selector thread: the socket takes more output. */
    void writable() {
        List<Runnable> done = new ArrayList<>();
        synchronized (this) {
            writeQueued(done);
        }
        done.forEach(Runnable::run);
    }

    @Override
    public void suspend() {
        listener.interest(key, SelectionKey.OP_READ, false);
    }

    @Override
    public void resume() {
        if (channel.isOpen()) {
            listener.interest(key, SelectionKey.OP_READ, true);
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void write(ByteBuffer[] segments, Runnable sent) {
        long bytes = 0;
        for (ByteBuffer segment : segments) {
            bytes += segment.remaining();
        }
        List<Runnable> done = new ArrayList<>();
        synchronized (this) {
            if (gone || closing) {
                done.add(sent);
            } else {
                queued.add(new Queued(segments, bytes, sent));
                queuedBytes += bytes;
                if (queued.size() == 1) {
                    writeQueued(done);
                }
            }
        }
        done.forEach(Runnable::run);
    }

    /**
     * Under the lock: writes what is queued until the socket takes no more (then the selector is asked
     * to say when it does) or all is out (then a closing connection closes); adds to {@code done}
     * what is to run once the lock is let go.
     */
    private void writeQueued(List<Runnable> done) {
        try {
            while (!queued.isEmpty()) {
                Queued head = queued.peek();
                channel.write(head.segments());
                if (anyRemaining(head.segments())) {
                    if (!writeInterest) {
                        writeInterest = true;
                        listener.interest(key, SelectionKey.OP_WRITE, true);
                    }
                    return;
                }
                queued.poll();
                queuedBytes -= head.bytes();
                done.add(head.sent());
                if (queuedBytes < maxPendingOutput && !writableWaiters.isEmpty()) {
                    done.addAll(writableWaiters);
                    writableWaiters = new ArrayList<>();
                }
            }
            if (writeInterest) {
                writeInterest = false;
                listener.interest(key, SelectionKey.OP_WRITE, false);
            }
            if (closing) {
                done.add(this::closeNow);
            }
        } catch (IOException e) {
            done.add(this::closeNow); // the client is gone: what was queued is dropped with the connection
        }
    }

    private static boolean anyRemaining(ByteBuffer[] segments) {
        for (ByteBuffer segment : segments) {
            if (segment.hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized boolean canWrite() {
        return queuedBytes < maxPendingOutput;
    }

    @Override
    public void whenWritable(Runnable writable) {
        synchronized (this) {
            if (!gone && queuedBytes >= maxPendingOutput) {
                writableWaiters.add(writable);
                return;
            }
        }
        writable.run();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (gone) {
                return;
            }
            closing = true;
            if (!queued.isEmpty()) {
                return; // closed once what is queued is out
            }
        }
        closeNow();
    }

    /** Closes at once: what is still queued is dropped, and the session is told. */
    void closeNow() {
        List<Runnable> done = new ArrayList<>();
        synchronized (this) {
            if (gone) {
                return;
            }
            gone = true;
            for (Queued dropped : queued) {
                done.add(dropped.sent());
            }
            queued.clear();
            queuedBytes = 0;
            done.addAll(writableWaiters);
            writableWaiters = List.of();
        }
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            // closed either way
        }
        done.forEach(Runnable::run);
        whenClosed.accept(this);
        closed.complete(null);
    }
}
