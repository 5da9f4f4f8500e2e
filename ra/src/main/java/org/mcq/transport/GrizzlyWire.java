package org.mcq.transport;

import java.nio.ByteBuffer;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.WriteHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.CompositeBuffer;
import org.glassfish.grizzly.memory.MemoryManager;

/** A Grizzly TCP connection as a {@link Wire}: Grizzly's async write queue does the writing. */
final class GrizzlyWire implements Wire {

    private final Connection<?> connection;

    GrizzlyWire(Connection<?> connection) {
        this.connection = connection;
    }

    /** A read of this connection, held by suspending its filter chain context. */
    static HeldRead held(FilterChainContext read) {
        return new HeldRead() {
            @Override
            public void suspend() {
                read.suspend();
            }

            @Override
            public void resume() {
                read.resume(read.getStopAction());
            }
        };
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"}) // Connection<?>'s write is typed by its peer address
    public void write(ByteBuffer[] segments, Runnable sent) {
        MemoryManager<?> memory = connection.getMemoryManager();
        Buffer buffer;
        if (segments.length == 1) {
            buffer = Buffers.wrap(memory, segments[0]);
        } else {
            Buffer[] parts = new Buffer[segments.length];
            for (int i = 0; i < segments.length; i++) {
                parts[i] = Buffers.wrap(memory, segments[i]);
            }
            buffer = CompositeBuffer.newBuffer(memory, parts);
        }
        ((Connection) connection).write(buffer, new CompletionHandler<WriteResult>() {
            @Override
            public void cancelled() {
                sent.run();
            }

            @Override
            public void failed(Throwable throwable) {
                sent.run();
            }

            @Override
            public void completed(WriteResult result) {
                sent.run();
            }

            @Override
            public void updated(WriteResult result) {
            }
        });
    }

    @Override
    public boolean canWrite() {
        return connection.canWrite();
    }

    @Override
    public void whenWritable(Runnable writable) {
        connection.notifyCanWrite(new WriteHandler() {
            @Override
            public void onWritePossible() {
                writable.run();
            }

            @Override
            public void onError(Throwable t) {
                writable.run();
            }
        });
    }

    @Override
    public void close() {
        connection.close();
    }
}
