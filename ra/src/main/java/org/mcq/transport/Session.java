package org.mcq.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.memory.Buffers;
import org.mcq.protocol.Command;
import org.mcq.protocol.CommandDecoder;
import org.mcq.protocol.Decoded;
import org.mcq.protocol.Limits;
import org.mcq.protocol.Rejection;
import org.mcq.protocol.Reply;
import org.mcq.protocol.Verb;

/**
 * One connection's protocol state. Commands run on the thread that read them, one at a time. When
 * a reply must wait (a disk commit), the read's context is suspended, which stops Grizzly reading
 * from the connection (an end of stream included) until the reply is written and the rest of that
 * read has been worked off; so replies keep the commands' order, a command never runs before the
 * one ahead of it is done, and a client that half-closes after its last command still gets every
 * reply. Replies that are ready at once are gathered and written together, one write per read.
 */
final class Session {

    private static final Logger LOG = Logger.getLogger(Session.class.getName());
    /** Gathered replies are written once they exceed this, so a pipeline of large gets is not held whole. */
    private static final int FLUSH_THRESHOLD = 256 * 1024;

    /** A reply that has to wait, the input after its command, and whether it is to be sent. */
    private record Waiting(CompletableFuture<Reply> reply, boolean noreply, ByteBuffer rest) {
    }

    private final Connection<?> connection;
    private final CommandDecoder decoder;
    private final CommandHandler handler;
    private final ConnectionCounters counters;
    private final Executor continuations;
    private final ReplyBuffer replies = new ReplyBuffer();

    Session(Connection<?> connection, Limits limits, CommandHandler handler, ConnectionCounters counters,
            Executor continuations) {
        this.connection = connection;
        this.decoder = new CommandDecoder(limits);
        this.handler = handler;
        this.counters = counters;
        this.continuations = continuations;
    }

    /**
     * Handles new bytes on the selector thread. Returns true when they are all handled; false when
     * the context was suspended, to be resumed once the waiting reply is written.
     */
    boolean received(FilterChainContext ctx, ByteBuffer in) {
        Waiting waiting = process(in);
        if (waiting == null) {
            return true;
        }
        ctx.suspend();
        carryOn(ctx, waiting);
        return false;
    }

    private void carryOn(FilterChainContext ctx, Waiting waiting) {
        waiting.reply().whenComplete((reply, failure) -> {
            if (!waiting.noreply()) {
                replies.add(reply != null ? reply : Reply.serverError("internal error"));
                flush();
            }
            if (!waiting.rest().hasRemaining()) {
                ctx.resume(ctx.getStopAction());
                return;
            }
            // pipelined input is waiting: work on it off the thread that completed the reply (the disk writer)
            continuations.execute(() -> {
                Waiting next = process(waiting.rest());
                if (next == null) {
                    ctx.resume(ctx.getStopAction());
                } else {
                    carryOn(ctx, next);
                }
            });
        });
    }

    /** Decodes and executes until the input is used up or the connection closes (null), or a reply must wait. */
    private Waiting process(ByteBuffer in) {
        Decoded decoded;
        while ((decoded = decoder.decode(in)) != null) {
            if (decoded instanceof Rejection rejection) {
                if (rejection.reply() != null) {
                    replies.add(rejection.reply());
                }
                if (rejection.close()) {
                    close();
                    return null;
                }
                continue;
            }
            Command command = (Command) decoded;
            if (command.verb() == Verb.QUIT) {
                close();
                return null;
            }
            CompletableFuture<Reply> reply = execute(command);
            if (!reply.isDone()) {
                flush();
                // the caller's buffer is recycled once it returns: keep a copy of what follows
                ByteBuffer rest = ByteBuffer.allocate(in.remaining()).put(in).flip();
                return new Waiting(reply, command.noreply(), rest);
            }
            if (!command.noreply()) {
                replies.add(reply.join());
                if (replies.size() > FLUSH_THRESHOLD) {
                    flush();
                }
            }
        }
        flush();
        return null;
    }

    private CompletableFuture<Reply> execute(Command command) {
        try {
            return handler.handle(command, counters).toCompletableFuture();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "command " + command.verb().wireName() + " failed", e);
            return CompletableFuture.completedFuture(Reply.serverError("internal error"));
        }
    }

    private void flush() {
        if (replies.size() == 0) {
            return;
        }
        counters.written(replies.size());
        connection.write(Buffers.wrap(connection.getMemoryManager(), replies.drain()));
    }

    private void close() {
        flush();
        connection.close(); // graceful: what was written goes out first
    }
}
