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

    @Override
    public void start(BootstrapContext context) {
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
        memcacheSpec.validate();
        EndpointPool endpoints = new EndpointPool(factory);
        MemcacheServer server = new MemcacheServer(memcacheSpec.toSettings(), endpoints);
        try {
            server.start();
        } catch (IOException e) {
            server.stop();
            throw new ResourceException("cannot listen on " + memcacheSpec.getBindAddress() + ":"
                    + memcacheSpec.getPort() + ": " + e.getMessage(), e);
        }
        activations.put(new Key(factory, spec), new Activation(server, endpoints));
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
