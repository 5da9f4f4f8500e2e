package org.mcq.inflow;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import java.beans.PropertyDescriptor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.mcq.protocol.Limits;
import org.mcq.transport.ServerSettings;

/**
 * Where and how one memcache listener is opened for a message-driven bean. Set from server.xml's
 * {@code <activationSpec>}, whose {@code <variable>}s hold every default, once; nothing here has a
 * default of its own, and {@link #validate()} refuses a missing or wrong value before anything is bound.
 */
public class MemcacheActivationSpec implements ActivationSpec, Serializable {

    private static final long serialVersionUID = 1L;

    private transient ResourceAdapter resourceAdapter;
    private String bindAddress;
    private Integer port;
    private Integer maxConnections;
    private Integer maxLineLength;
    private Integer maxMessageSize;
    private Integer idleTimeout;
    private Integer workerThreads;
    private Integer clientMemoryMb;

    /** Address to listen on (MemcacheQ's {@code -l}); 0.0.0.0 opens it to other hosts. */
    @ConfigProperty(description = "Address to listen on")
    public void setBindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    /** TCP port (MemcacheQ's {@code -p}); 0 picks a free one. */
    @ConfigProperty(description = "TCP port; 0 picks a free one")
    public void setPort(Integer port) {
        this.port = port;
    }

    /** Connections open at once (MemcacheQ's {@code -c}); more are answered with an error and closed. */
    @ConfigProperty(description = "Maximum simultaneous connections")
    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** Longest command line in bytes; a longer one is refused and its connection closed. */
    @ConfigProperty(description = "Maximum command line length in bytes")
    public void setMaxLineLength(Integer maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    /** Largest message body in bytes (MemcacheQ's {@code -B}); larger ones are refused unread. */
    @ConfigProperty(description = "Maximum message size in bytes")
    public void setMaxMessageSize(Integer maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /** Seconds after which an idle connection is closed; 0 never closes one. */
    @ConfigProperty(description = "Idle connection timeout in seconds, 0 for none")
    public void setIdleTimeout(Integer idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    /**
     * Threads that carry on with a connection's pipelined commands after a reply that waited for the
     * disk (commands otherwise run on the selector threads, one per core).
     */
    @ConfigProperty(description = "Threads continuing pipelined commands after a wait")
    public void setWorkerThreads(Integer workerThreads) {
        this.workerThreads = workerThreads;
    }

    /**
     * MiB of heap that clients may make the server hold at once: data blocks being received, bodies
     * taken for replies, output not yet written (memcached's {@code -m} plays this part). Past it
     * connections wait unread instead of allocating. 0: a quarter of the maximum heap.
     */
    @ConfigProperty(description = "Client memory budget in MiB; 0 for a quarter of the heap")
    public void setClientMemoryMb(Integer clientMemoryMb) {
        this.clientMemoryMb = clientMemoryMb;
    }

    public Integer getClientMemoryMb() {
        return clientMemoryMb;
    }

    public String getBindAddress() {
        return bindAddress;
    }

    public Integer getPort() {
        return port;
    }

    public Integer getMaxConnections() {
        return maxConnections;
    }

    public Integer getMaxLineLength() {
        return maxLineLength;
    }

    public Integer getMaxMessageSize() {
        return maxMessageSize;
    }

    public Integer getIdleTimeout() {
        return idleTimeout;
    }

    public Integer getWorkerThreads() {
        return workerThreads;
    }

    @Override
    public void validate() throws InvalidPropertyException {
        List<String> problems = new ArrayList<>();
        if (bindAddress == null || bindAddress.isBlank()) {
            problems.add("bindAddress is empty");
        }
        check(problems, "port", port, 0, 65535);
        check(problems, "maxConnections", maxConnections, 1, 1_000_000);
        check(problems, "maxLineLength", maxLineLength, 64, 64 * 1024 * 1024);
        check(problems, "maxMessageSize", maxMessageSize, 1, Integer.MAX_VALUE - 2);
        check(problems, "idleTimeout", idleTimeout, 0, Integer.MAX_VALUE);
        check(problems, "workerThreads", workerThreads, 1, 10_000);
        check(problems, "clientMemoryMb", clientMemoryMb, 0, 1024 * 1024);
        if (!problems.isEmpty()) {
            InvalidPropertyException e = new InvalidPropertyException("invalid mcq activation spec: "
                    + String.join("; ", problems));
            e.setInvalidPropertyDescriptors(new PropertyDescriptor[0]);
            throw e;
        }
    }

    private static void check(List<String> problems, String name, Integer value, int min, int max) {
        if (value == null) {
            problems.add(name + " is not set (server.xml's activationSpec sets every property)");
        } else if (value < min || value > max) {
            problems.add(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    ServerSettings toSettings() {
        long clientMemory = clientMemoryMb == 0 ? Runtime.getRuntime().maxMemory() / 4 : clientMemoryMb * 1024L * 1024;
        return new ServerSettings(bindAddress, port, maxConnections, new Limits(maxLineLength, maxMessageSize),
                idleTimeout, workerThreads, clientMemory);
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter resourceAdapter) throws ResourceException {
        this.resourceAdapter = resourceAdapter;
    }
}
