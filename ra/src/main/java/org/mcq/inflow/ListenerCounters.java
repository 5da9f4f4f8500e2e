package org.mcq.inflow;

import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import java.io.Serializable;
import org.mcq.listener.TransportStats;

/**
 * The listener's counters as an administered object (JNDI {@code mcq/transport} in server.xml), so
 * the application reads them without waiting for a command to bring them: metrics and the admin
 * API see connections and bytes from the start. Reads through the adapter on every call, so it
 * follows the listener across a bean's deactivation and reactivation; zeros while none listens.
 */
public class ListenerCounters implements TransportStats, ResourceAdapterAssociation, Serializable {

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
