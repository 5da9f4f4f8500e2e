package org.mcq.memcache.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.mcq.listener.ClientConnection;
import org.mcq.listener.TransportStats;
import org.mcq.model.Link;
import org.mcq.protocol.Command;
import org.mcq.protocol.CommandDecoder;
import org.mcq.protocol.Decoded;
import org.mcq.protocol.Limits;
import org.mcq.protocol.Rejection;
import org.mcq.protocol.Reply;

/**
 * A client connection without a network: its bytes go through the real codec to the real command
 * handling and the engine behind it, and the encoded replies come back, one command at a time (each
 * reply awaited, as the model sends them).
 */
public final class InProcessLink implements Link, ClientConnection {

    private final MemcacheCommands commands;
    private final CommandDecoder decoder = new CommandDecoder(new Limits(8192, 1 << 20));
    private final ArrayDeque<ByteBuffer> output = new ArrayDeque<>();
    private final InputStream replies = new InputStream() {
        @Override
        public int read() throws IOException {
            while (!output.isEmpty() && !output.peekFirst().hasRemaining()) {
                output.removeFirst();
            }
            if (output.isEmpty()) {
                throw new IOException("no reply to read: every request's reply is complete when send returns");
            }
            return output.peekFirst().get() & 0xFF;
        }
    };
    private boolean closed;

    public InProcessLink(MemcacheCommands commands) {
        this.commands = commands;
    }

    @Override
    public void send(byte[] request) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(request);
        Decoded decoded;
        while ((decoded = decoder.decode(in)) != null) {
            Reply reply;
            if (decoded instanceof Command command) {
                try {
                    reply = commands.onCommand(command, this).toCompletableFuture().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IOException("no reply to " + command.verb() + " " + command.keys() + " within 60 s", e);
                }
            } else if (decoded instanceof Rejection rejection) {
                reply = rejection.reply();
            } else {
                throw new IOException("the decoder waits for memory: " + decoded);
            }
            if (reply instanceof Reply.Streamed streamed) {
                byte[] chunk;
                while ((chunk = chunk(streamed)) != null) {
                    output.addLast(ByteBuffer.wrap(chunk));
                }
                continue;
            }
            for (ByteBuffer segment : reply.encode()) {
                output.addLast(segment.duplicate());
            }
        }
    }

    /** A streamed reply's next chunk, as the transport would ask for it once the last one is written. */
    private static byte[] chunk(Reply.Streamed streamed) throws IOException {
        try {
            return streamed.chunks().next().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("no chunk of a streamed reply within 60 s", e);
        }
    }

    @Override
    public InputStream replies() {
        return replies;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            commands.onClose(this);
        }
    }

    @Override
    public TransportStats transport() {
        return TransportStats.NONE;
    }

    @Override
    public boolean reserveReply(int bytes) {
        return true;
    }

    @Override
    public void releaseReply(int bytes) {
    }

    @Override
    public boolean inputEnded() {
        return false;
    }
}
