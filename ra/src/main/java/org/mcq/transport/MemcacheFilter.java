package org.mcq.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.attributes.AttributeBuilder;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.memory.Buffers;
import org.mcq.protocol.Credentials;
import org.mcq.protocol.Limits;

/** Admits connections up to the limit and hands each one's bytes to its {@link Session}. */
final class MemcacheFilter extends BaseFilter {

    private static final byte[] TOO_MANY = "SERVER_ERROR too many open connections\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);

    private final Attribute<Session> sessionAttribute;
    private final CommandHandler handler;
    private final ConnectionCounters counters;
    private final Limits limits;
    private final Credentials credentials;
    private final int maxConnections;
    private final Executor continuations;
    private final ClientMemory memory;
    private final Quiescence quiescence;
    private final Consumer<Connection<?>> idleAgain;
    private final Set<Connection<?>> open = ConcurrentHashMap.newKeySet();

    MemcacheFilter(AttributeBuilder attributes, CommandHandler handler, ConnectionCounters counters, Limits limits,
                   Credentials credentials, int maxConnections, Executor continuations, ClientMemory memory, Quiescence quiescence,
                   Consumer<Connection<?>> idleAgain) {
        this.sessionAttribute = attributes.createAttribute("mcq.session");
        this.handler = handler;
        this.counters = counters;
        this.limits = limits;
        this.credentials = credentials;
        this.maxConnections = maxConnections;
        this.continuations = continuations;
        this.memory = memory;
        this.quiescence = quiescence;
        this.idleAgain = idleAgain;
    }

    /** Closes every connection gracefully (output already written goes out first); waits up to the timeout. */
    void closeAll(long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<Future<?>> closing = new ArrayList<>();
        for (Connection<?> connection : open) {
            closing.add(connection.close());
        }
        for (Future<?> close : closing) {
            try {
                close.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // closed abruptly by the transport's shutdown next
            }
        }
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
        open.add(connection);
        sessionAttribute.set(connection, new Session(new GrizzlyWire(connection), limits, credentials, handler, counters, continuations, memory, quiescence,
                () -> idleAgain.accept(connection)));
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleClose(FilterChainContext ctx) throws IOException {
        open.remove(ctx.getConnection());
        Session session = sessionAttribute.remove(ctx.getConnection());
        if (session != null) {
            session.closed();
            counters.closed();
            handler.closed(session);
        }
        return ctx.getStopAction();
    }

    /**
     * The client of this connection ended its input: whether its session keeps the connection open
     * until the replies under way are out (it closes it then).
     */
    boolean holdsOpen(Connection<?> connection) {
        Session session = sessionAttribute.get(connection);
        return session != null && session.inputEnds();
    }

    /** Whether the connection's replies are under way (its idle time does not run meanwhile). */
    boolean waiting(Connection<?> connection) {
        Session session = sessionAttribute.get(connection);
        return session != null && session.waiting();
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
            return session.received(GrizzlyWire.held(ctx), message.toByteBuffer()) ? stop : suspend;
        } finally {
            message.tryDispose();
        }
    }
}
