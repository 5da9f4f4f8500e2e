package org.mcq.inflow;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;
import java.util.logging.Level;
import org.mcq.listener.TransportStats;
import org.mcq.transport.AddressTaken;
import org.mcq.transport.MemcacheServer;

/**
 * Opens one memcache listener per activated message endpoint and closes it on deactivation, so the
 * port is held exactly while a bean is there to answer. An address another program holds (MemcacheQ
 * left running on the port while it is replaced, a server still stopping) is tried again every
 * {@link #RETRY_MILLIS} ms until it is free, so the server takes the port over without a restart;
 * one warning says so, the attempts that fail after it say nothing above FINE. Any other failure (a
 * wrong address, a missing directory) would fail every attempt the same way, and fails the activation.
 */
public class MemcacheResourceAdapter implements ResourceAdapter {

    private static final Logger LOG = Logger.getLogger(MemcacheResourceAdapter.class.getName());

    static final long RETRY_MILLIS = 2_000;

    private record Key(MessageEndpointFactory factory, ActivationSpec spec) {
    }

    private record Activation(MemcacheServer server, EndpointPool endpoints) {
        void close() {
            server.stop();
            endpoints.close();
        }
    }

    private final long retryMillis;
    private final Map<Key, Activation> activations = new ConcurrentHashMap<>();
    /** Activations whose port could not be taken yet, each with its task trying again; guarded by this. */
    private final Map<Key, TimerTask> retries = new HashMap<>();
    /** Whether any activation waits for its address: read by health without the lock. */
    private volatile boolean waiting;
    private Timer timer;
    /** Why the last activation could not listen; null once one does. */
    private volatile String failure;
    /** Set once by the application that cannot serve: no listener opens again. */
    private volatile String refusal;

    public MemcacheResourceAdapter() {
        this(RETRY_MILLIS);
    }

    MemcacheResourceAdapter(long retryMillis) {
        this.retryMillis = retryMillis;
    }

    @Override
    public synchronized void start(BootstrapContext context) {
        ExitLogging.keepHandlers(); // the adapter starts before the application and stops after it
        timer = timer(context);
        LOG.info("mcq resource adapter started");
    }

    private static Timer timer(BootstrapContext context) {
        try {
            if (context != null) {
                return context.createTimer();
            }
        } catch (UnavailableException e) {
            LOG.fine(() -> "no timer from the server: " + e);
        }
        return new Timer("mcq-listen-retry", true);
    }

    @Override
    public synchronized void stop() {
        retries.values().forEach(TimerTask::cancel);
        retries.clear();
        waiting = false;
        activations.values().forEach(Activation::close);
        activations.clear();
        if (timer != null) {
            timer.cancel();
        }
        LOG.info("mcq resource adapter stopped");
    }

    @Override
    public synchronized void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec)
            throws ResourceException {
        if (!(spec instanceof MemcacheActivationSpec memcacheSpec)) {
            throw new ResourceException("unsupported activation spec " + spec.getClass().getName());
        }
        if (refusal != null) {
            return; // the bean is there, the port stays closed; the application has said why, once
        }
        Key key = new Key(factory, spec);
        try {
            memcacheSpec.validate();
            activations.put(key, listen(factory, memcacheSpec));
            failure = null;
        } catch (ResourceException e) {
            failure = e.getMessage();
            throw e;
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof AddressTaken)) {
                failure = reason(e);
                throw new ResourceException(failure, e);
            }
            TimerTask task = new TimerTask() {
                @Override
                public void run() {
                    retry(key, memcacheSpec, this);
                }
            };
            retries.put(key, task);
            waiting = true; // before the failure: health never sees one without the other
            failure = e.getMessage() + "; trying again every "
                    + (retryMillis % 1000 == 0 ? retryMillis / 1000 + " s" : retryMillis + " ms");
            LOG.warning("mcq " + failure);
            timer.schedule(task, retryMillis, retryMillis);
        }
    }

    private synchronized void retry(Key key, MemcacheActivationSpec spec, TimerTask task) {
        if (retries.get(key) != task) {
            task.cancel(); // deactivated, or refused, since it was scheduled
            return;
        }
        try {
            activations.put(key, listen(key.factory(), spec));
            failure = null;
        } catch (AddressTaken e) {
            LOG.fine(() -> "mcq still " + e.getMessage()); // the reason stands, and was logged once
            return;
        } catch (IOException | ResourceException | RuntimeException e) {
            failure = reason(e);
            LOG.log(Level.WARNING, "mcq " + failure + "; no more attempts", e);
        }
        task.cancel();
        retries.remove(key);
        waiting = !retries.isEmpty();
    }

    private static Activation listen(MessageEndpointFactory factory, MemcacheActivationSpec spec)
            throws ResourceException, IOException {
        EndpointPool endpoints = new EndpointPool(factory);
        MemcacheServer server = new MemcacheServer(spec.toSettings(), endpoints);
        try {
            server.start(); // its failures say what could not be listened on
        } catch (IOException | RuntimeException e) {
            server.stop();
            endpoints.close();
            throw e;
        }
        return new Activation(server, endpoints);
    }

    private static String reason(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** See {@link org.mcq.listener.ListenerState#refuse}. */
    synchronized void refuse(String reason) {
        refusal = reason;
        failure = reason;
        retries.values().forEach(TimerTask::cancel);
        retries.clear();
        waiting = false;
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

    /** See {@link org.mcq.listener.ListenerState#waitsForAddress}. */
    boolean waitsForAddress() {
        return waiting;
    }

    @Override
    public synchronized void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        Key key = new Key(factory, spec);
        TimerTask retry = retries.remove(key);
        if (retry != null) {
            retry.cancel();
            failure = null; // no longer trying: nothing failed that still matters
            waiting = !retries.isEmpty();
        }
        Activation activation = activations.remove(key);
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
