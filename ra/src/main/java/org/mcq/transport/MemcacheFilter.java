package org.mcq.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.attributes.AttributeBuilder;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;
import org.mcq.protocol.Command;
import org.mcq.protocol.CommandDecoder;
import org.mcq.protocol.Decoded;
import org.mcq.protocol.Limits;
import org.mcq.protocol.Rejection;
import org.mcq.protocol.Reply;
import org.mcq.protocol.Verb;

/**
 * Decodes each connection's bytes into commands, executes them in order and writes the replies.
 * Replies to the commands of one read are gathered and written together, so a pipelined batch costs
 * one write; a connection's next read is only processed after this one, so its commands never overlap.
 */
final class MemcacheFilter extends BaseFilter {

    private static final Logger LOG = Logger.getLogger(MemcacheFilter.class.getName());
    private static final byte[] TOO_MANY = "SERVER_ERROR too many open connections\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    /** Flush gathered replies once they exceed this, so a pipeline of large gets is not held whole. */
    private static final int FLUSH_THRESHOLD = 256 * 1024;

    private final Attribute<CommandDecoder> decoderAttribute;
    private final CommandHandler handler;
    private final ConnectionCounters counters;
    private final Limits limits;
    private final int maxConnections;

    MemcacheFilter(AttributeBuilder attributes, CommandHandler handler, ConnectionCounters counters, Limits limits,
                   int maxConnections) {
        this.decoderAttribute = attributes.createAttribute("mcq.decoder");
        this.handler = handler;
        this.counters = counters;
        this.limits = limits;
        this.maxConnections = maxConnections;
    }

    @Override
    public NextAction handleAccept(FilterChainContext ctx) throws IOException {
        Connection<?> connection = ctx.getConnection();
        if (!counters.tryOpen(maxConnections)) {
            // as memcached: say why, then hang up, before any state is allocated for the connection
            ctx.write(Buffers.wrap(ctx.getMemoryManager(), TOO_MANY));
            connection.closeSilently();
            return ctx.getStopAction();
        }
        decoderAttribute.set(connection, new CommandDecoder(limits));
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleClose(FilterChainContext ctx) throws IOException {
        if (decoderAttribute.remove(ctx.getConnection()) != null) {
            counters.closed();
        }
        return ctx.getStopAction();
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        Connection<?> connection = ctx.getConnection();
        Buffer message = ctx.getMessage();
        CommandDecoder decoder = decoderAttribute.get(connection);
        if (decoder == null) {
            message.tryDispose();
            return ctx.getStopAction();
        }
        counters.read(message.remaining());
        ByteBuffer in = message.toByteBuffer();
        Replies replies = new Replies(ctx.getMemoryManager());
        boolean close = false;
        try {
            Decoded decoded;
            while (!close && (decoded = decoder.decode(in)) != null) {
                close = execute(decoded, replies);
                if (replies.size() > FLUSH_THRESHOLD) {
                    replies.writeTo(ctx);
                }
            }
        } finally {
            message.tryDispose();
        }
        replies.writeTo(ctx);
        if (close) {
            connection.close();
        }
        return ctx.getStopAction();
    }

    /** Runs one decoded unit; returns whether the connection must be closed after its reply. */
    private boolean execute(Decoded decoded, Replies replies) {
        if (decoded instanceof Rejection rejection) {
            if (rejection.reply() != null) {
                replies.add(rejection.reply());
            }
            return rejection.close();
        }
        Command command = (Command) decoded;
        if (command.verb() == Verb.QUIT) {
            return true;
        }
        Reply reply;
        try {
            reply = handler.handle(command, counters);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "command " + command.verb().wireName() + " failed", e);
            reply = Reply.serverError("internal error");
        }
        if (!command.noreply()) {
            replies.add(reply);
        }
        return false;
    }

    /** Reply segments gathered for one write. */
    private final class Replies {
        private final MemoryManager<?> memoryManager;
        private final List<ByteBuffer> segments = new ArrayList<>();
        private int size;

        Replies(MemoryManager<?> memoryManager) {
            this.memoryManager = memoryManager;
        }

        void add(Reply reply) {
            for (ByteBuffer segment : reply.encode()) {
                segments.add(segment);
                size += segment.remaining();
            }
        }

        int size() {
            return size;
        }

        void writeTo(FilterChainContext ctx) {
            if (segments.isEmpty()) {
                return;
            }
            byte[] bytes = new byte[size];
            int offset = 0;
            for (ByteBuffer segment : segments) {
                int n = segment.remaining();
                segment.get(bytes, offset, n);
                offset += n;
            }
            Buffer buffer = Buffers.wrap(memoryManager, bytes);
            counters.written(size);
            ctx.write(buffer);
            segments.clear();
            size = 0;
        }
    }
}
