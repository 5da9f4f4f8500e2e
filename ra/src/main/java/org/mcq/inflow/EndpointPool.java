package org.mcq.inflow;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.reflect.Method;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mcq.listener.ClientConnection;
import org.mcq.listener.CommandListener;
import org.mcq.protocol.Command;
import org.mcq.protocol.Reply;
import org.mcq.transport.CommandHandler;

/**
 * Delivers commands to message endpoints. Creating an endpoint per command is costly, so idle ones
 * are kept and reused; an endpoint is only ever used by one thread at a time (a delivery returns at
 * once, a reply that waits completes later without it), so the pool grows to about the number of
 * threads delivering.
 */
final class EndpointPool implements CommandHandler {

    private static final Logger LOG = Logger.getLogger(EndpointPool.class.getName());
    private static final Method ON_COMMAND;
    private static final Method ON_CLOSE;
    private static final Method ON_INPUT_END;

    static {
        try {
            ON_COMMAND = CommandListener.class.getMethod("onCommand", Command.class, ClientConnection.class);
            ON_CLOSE = CommandListener.class.getMethod("onClose", ClientConnection.class);
            ON_INPUT_END = CommandListener.class.getMethod("onInputEnd", ClientConnection.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MessageEndpointFactory factory;
    private final boolean transacted;
    private final Queue<MessageEndpoint> idle = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    EndpointPool(MessageEndpointFactory factory) throws ResourceException {
        this.factory = factory;
        try {
            this.transacted = factory.isDeliveryTransacted(ON_COMMAND);
        } catch (NoSuchMethodException e) {
            throw new ResourceException("the endpoint does not implement CommandListener", e);
        }
    }

    @Override
    public CompletionStage<Reply> handle(Command command, ClientConnection connection) {
        CompletionStage<Reply> reply = deliver(ON_COMMAND, listener -> listener.onCommand(command, connection),
                command.verb().wireName());
        return reply != null ? reply : CompletableFuture.completedFuture(Reply.serverError("queue service unavailable"));
    }

    @Override
    public void inputEnded(ClientConnection connection) {
        deliver(ON_INPUT_END, listener -> {
            listener.onInputEnd(connection);
            return null;
        }, "input end");
    }

    @Override
    public void closed(ClientConnection connection) {
        deliver(ON_CLOSE, listener -> {
            listener.onClose(connection);
            return null;
        }, "close");
    }

    /**
     * Delivers one call to an idle endpoint (or a new one); null if none could be had or the call
     * failed, which is logged.
     */
    private <T> T deliver(Method method, Function<CommandListener, T> call, String what) {
        MessageEndpoint endpoint = idle.poll();
        try {
            if (endpoint == null) {
                endpoint = factory.createEndpoint(null);
            }
        } catch (ResourceException e) {
            LOG.log(Level.WARNING, "no message endpoint available", e);
            return null;
        }
        boolean healthy = false;
        try {
            // the before/after bracket is only needed when the container must start a transaction
            T result = transacted ? deliverTransacted(endpoint, method, call) : call.apply((CommandListener) endpoint);
            healthy = true;
            return result;
        } catch (ResourceException | RuntimeException e) {
            LOG.log(Level.WARNING, "delivery of " + what + " failed", e);
            return null;
        } finally {
            if (healthy && !closed) {
                idle.offer(endpoint);
            } else {
                endpoint.release();
            }
        }
    }

    private static <T> T deliverTransacted(MessageEndpoint endpoint, Method method, Function<CommandListener, T> call)
            throws ResourceException {
        try {
            endpoint.beforeDelivery(method);
        } catch (NoSuchMethodException e) {
            throw new ResourceException(e);
        }
        try {
            return call.apply((CommandListener) endpoint);
        } finally {
            endpoint.afterDelivery();
        }
    }

    void close() {
        closed = true;
        MessageEndpoint endpoint;
        while ((endpoint = idle.poll()) != null) {
            endpoint.release();
        }
    }
}
