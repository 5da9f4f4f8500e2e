package org.mcq.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.attributes.AttributeBuilder;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.memory.Buffers;
import org.mcq.protocol.Limits;

/** Admits connections up to the limit and hands each one's bytes to its {@link Session}. */
final class MemcacheFilter extends BaseFilter {

    private static final byte[] TOO_MANY = "SERVER_ERROR too many open connections\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);

    private final Attribute<Session> sessionAttribute;
    private final CommandHandler handler;
    private final ConnectionCounters counters;
    private final Limits limits;
    private final int maxConnections;
    private final Executor continuations;
    private final ClientMemory memory;

    MemcacheFilter(AttributeBuilder attributes, CommandHandler handler, ConnectionCounters counters, Limits limits,
                   int maxConnections, Executor continuations, ClientMemory memory) {
        this.sessionAttribute = attributes.createAttribute("mcq.session");
        this.handler = handler;
        this.counters = counters;
        this.limits = limits;
        this.maxConnections = maxConnections;
        this.continuations = continuations;
        this.memory = memory;
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
        sessionAttribute.set(connection, new Session(connection, limits, handler, counters, continuations, memory));
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleClose(FilterChainContext ctx) throws IOException {
        Session session = sessionAttribute.remove(ctx.getConnection());
        if (session != null) {
            session.closed();
            counters.closed();
        }
        return ctx.getStopAction();
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        Buffer message = ctx.getMessage();
        // taken up front: once a suspended context is handed to another thread it may resume at any time
        NextAction stop = ctx.getStopAction();
        NextAction suspend = ctx.getSuspendAction();
        try {
            Session session = sessionAttribute.get(ctx.getConnection());
            if (session == null) {
                return stop;
            }
            counters.read(message.remaining());
            return session.received(ctx, message.toByteBuffer()) ? stop : suspend;
        } finally {
            message.tryDispose();
        }
    }
}
