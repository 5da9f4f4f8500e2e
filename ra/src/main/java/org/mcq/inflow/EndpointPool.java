package org.mcq.inflow;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.reflect.Method;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
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

    static {
        try {
            ON_COMMAND = CommandListener.class.getMethod("onCommand", Command.class, ClientConnection.class);
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
        MessageEndpoint endpoint = idle.poll();
        try {
            if (endpoint == null) {
                endpoint = factory.createEndpoint(null);
            }
        } catch (ResourceException e) {
            LOG.log(Level.WARNING, "no message endpoint available", e);
            return CompletableFuture.completedFuture(Reply.serverError("queue service unavailable"));
        }
        boolean healthy = false;
        try {
            // the before/after bracket is only needed when the container must start a transaction
            CompletionStage<Reply> reply = transacted
                    ? deliverTransacted(endpoint, command, connection)
                    : ((CommandListener) endpoint).onCommand(command, connection);
            healthy = true;
            return reply;
        } catch (ResourceException | RuntimeException e) {
            LOG.log(Level.WARNING, "delivery of " + command.verb().wireName() + " failed", e);
            return CompletableFuture.completedFuture(Reply.serverError("queue service failed"));
        } finally {
            if (healthy && !closed) {
                idle.offer(endpoint);
            } else {
                endpoint.release();
            }
        }
    }

    private CompletionStage<Reply> deliverTransacted(MessageEndpoint endpoint, Command command,
                                                    ClientConnection connection)
            throws ResourceException {
        try {
            endpoint.beforeDelivery(ON_COMMAND);
        } catch (NoSuchMethodException e) {
            throw new ResourceException(e);
        }
        try {
            return ((CommandListener) endpoint).onCommand(command, connection);
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
