package org.mcq.inflow;

import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import java.io.Serializable;
import org.mcq.listener.ListenerState;
import org.mcq.listener.TransportStats;

/**
 * The listener as an administered object (JNDI {@code mcq/listener} in server.xml), so the
 * application reads its state and counters without waiting for a command to bring them: health sees
 * whether the port is ours, metrics and the admin API see connections and bytes from the start.
 * Reads through the adapter on every call, so it follows the listener across a bean's deactivation
 * and reactivation; zeros while none listens.
 */
public class ListenerHandle implements ListenerState, ResourceAdapterAssociation, Serializable {

    private static final long serialVersionUID = 1L;

    private transient MemcacheResourceAdapter adapter;

    @Override
    public ResourceAdapter getResourceAdapter() {
        return adapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter adapter) {
        this.adapter = (MemcacheResourceAdapter) adapter;
    }

    @Override
    public String boundAddress() {
        return adapter == null ? null : adapter.boundAddress();
    }

    @Override
    public String failure() {
        return adapter == null ? "the resource adapter is not started" : adapter.failure();
    }

    @Override
    public boolean waitsForAddress() {
        return adapter != null && adapter.waitsForAddress();
    }

    @Override
    public void refuse(String reason) {
        if (adapter != null) {
            adapter.refuse(reason);
        }
    }

    private TransportStats current() {
        TransportStats stats = adapter == null ? null : adapter.transport();
        return stats == null ? TransportStats.NONE : stats;
    }

    @Override
    public long currentConnections() {
        return current().currentConnections();
    }

    @Override
    public long totalConnections() {
        return current().totalConnections();
    }

    @Override
    public long rejectedConnections() {
        return current().rejectedConnections();
    }

    @Override
    public long outputStalls() {
        return current().outputStalls();
    }

    @Override
    public long bytesRead() {
        return current().bytesRead();
    }

    @Override
    public long bytesWritten() {
        return current().bytesWritten();
    }

    @Override
    public int workerThreads() {
        return current().workerThreads();
    }

    @Override
    public long clientMemoryUsed() {
        return current().clientMemoryUsed();
    }

    @Override
    public long clientMemoryLimit() {
        return current().clientMemoryLimit();
    }

    @Override
    public long clientMemoryWaits() {
        return current().clientMemoryWaits();
    }

    @Override
    public void reset() {
        current().reset();
    }
}
