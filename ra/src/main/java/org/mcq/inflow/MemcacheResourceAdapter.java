package org.mcq.inflow;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;
import org.mcq.listener.TransportStats;
import org.mcq.transport.MemcacheServer;

/**
 * Opens one memcache listener per activated message endpoint and closes it on deactivation, so the
 * port is held exactly while a bean is there to answer.
 */
public class MemcacheResourceAdapter implements ResourceAdapter {

    private static final Logger LOG = Logger.getLogger(MemcacheResourceAdapter.class.getName());

    private record Key(MessageEndpointFactory factory, ActivationSpec spec) {
    }

    private record Activation(MemcacheServer server, EndpointPool endpoints) {
        void close() {
            server.stop();
            endpoints.close();
        }
    }

    private final Map<Key, Activation> activations = new ConcurrentHashMap<>();
    /** Why the last activation could not listen; null once one does. */
    private volatile String failure;
    /** Set once by the application that cannot serve: no listener opens again. */
    private volatile String refusal;

    @Override
    public void start(BootstrapContext context) {
        ExitLogging.keepHandlers(); // the adapter starts before the application and stops after it
        LOG.info("mcq resource adapter started");
    }

    @Override
    public void stop() {
        activations.values().forEach(Activation::close);
        activations.clear();
        LOG.info("mcq resource adapter stopped");
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (!(spec instanceof MemcacheActivationSpec memcacheSpec)) {
            throw new ResourceException("unsupported activation spec " + spec.getClass().getName());
        }
        if (refusal != null) {
            return; // the bean is there, the port stays closed; the application has said why, once
        }
        Activation activation;
        try {
            memcacheSpec.validate();
            activation = listen(factory, memcacheSpec);
        } catch (ResourceException e) {
            failure = e.getMessage();
            throw e;
        }
        activations.put(new Key(factory, spec), activation);
        failure = null;
        if (refusal != null) { // refused while this one was opening
            endpointDeactivation(factory, spec);
            failure = refusal;
        }
    }

    private static Activation listen(MessageEndpointFactory factory, MemcacheActivationSpec spec) throws ResourceException {
        EndpointPool endpoints = new EndpointPool(factory);
        MemcacheServer server = new MemcacheServer(spec.toSettings(), endpoints);
        try {
            server.start();
        } catch (IOException e) {
            server.stop();
            endpoints.close();
            throw new ResourceException("cannot listen on " + spec.getBindAddress() + ":" + spec.getPort() + ": "
                    + e.getMessage(), e);
        }
        return new Activation(server, endpoints);
    }

    /** See {@link org.mcq.listener.ListenerState#refuse}. */
    void refuse(String reason) {
        refusal = reason;
        failure = reason;
        activations.keySet().forEach(key -> endpointDeactivation(key.factory(), key.spec()));
        LOG.info("mcq listener stays closed: " + reason);
    }

    /** {@code host:port} of the listener open now, or null while none is. */
    String boundAddress() {
        for (Activation activation : activations.values()) {
            return activation.server().address();
        }
        return null;
    }

    String failure() {
        return failure;
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        Activation activation = activations.remove(new Key(factory, spec));
        if (activation != null) {
            activation.close();
        }
    }

    /** The counters of the listener open now, or null while none is. */
    TransportStats transport() {
        for (Activation activation : activations.values()) {
            return activation.server().stats();
        }
        return null;
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }
}
