package org.mcq.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.nio.transport.TCPNIOServerConnection;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.nio.transport.TCPNIOTransportBuilder;
import org.glassfish.grizzly.strategies.SameThreadIOStrategy;
import org.glassfish.grizzly.threadpool.GrizzlyExecutorService;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.grizzly.utils.DelayedExecutor;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;
import org.mcq.listener.TransportStats;

/** One Grizzly TCP listener speaking the memcache text protocol; its lifecycle is start, then stop. */
public final class MemcacheServer {

    private static final Logger LOG = Logger.getLogger(MemcacheServer.class.getName());

    private static final int MAX_PENDING_OUTPUT = 4 * 1024 * 1024;
    /**
     * Bytes read from a socket at once. It bounds the input a waiting connection keeps outside the
     * client memory budget: at most twice this much per connection.
     */
    static final int READ_BUFFER = 32 * 1024;
    /** How long a stop waits for replies under way (a commit, or a client that does not read). */
    private static final int STOP_GRACE_SECONDS = 5;

    private final ServerSettings settings;
    private final ConnectionCounters counters;
    private final TCPNIOTransport transport;
    private final DelayedExecutor idleExecutor;
    private final IdleClock idleClock;
    private final ExecutorService continuations;
    private final ClientMemory memory;
    private final Quiescence quiescence = new Quiescence();
    private final MemcacheFilter filter;
    private final UnixListener unix;
    private final UdpListener udp;
    private TCPNIOServerConnection serverConnection;
    /** Set once start() succeeded: a start that failed is cleaned up without a word of a stop. */
    private volatile boolean listening;

    public MemcacheServer(ServerSettings settings, CommandHandler handler) {
        this.settings = settings;
        ThreadPoolConfig selectors = ThreadPoolConfig.defaultConfig().copy()
                .setPoolName("mcq-selector")
                .setDaemon(true);
        // Commands run on the selector thread that read them: no hand-off, no wake-up per command.
        // Nothing there blocks; a reply that waits for the disk is written by whoever completes it.
        transport = TCPNIOTransportBuilder.newInstance()
                .setIOStrategy(SameThreadIOStrategy.getInstance())
                .setSelectorThreadPoolConfig(selectors)
                .setSelectorRunnersCount(Math.max(1, Runtime.getRuntime().availableProcessors()))
                .setTcpNoDelay(true)
                .setReuseAddress(true)
                .setReadBufferSize(READ_BUFFER)
                .build();
        continuations = GrizzlyExecutorService.createInstance(ThreadPoolConfig.defaultConfig().copy()
                .setPoolName("mcq-continuation")
                .setCorePoolSize(settings.workerThreads())
                .setMaxPoolSize(settings.workerThreads())
                .setDaemon(true));
        memory = new ClientMemory(settings.clientMemoryBytes(), continuations);
        counters = new ConnectionCounters(settings.workerThreads(), memory);
        // what a connection may have queued for output before its commands stop being read
        transport.getAsyncQueueIO().getWriter().setMaxPendingBytesPerConnection(MAX_PENDING_OUTPUT);
        filter = new MemcacheFilter(transport.getAttributeBuilder(), handler, counters, settings.limits(),
                settings.credentials(), settings.maxConnections(), continuations, memory, quiescence, this::idleAgain);
        FilterChainBuilder chain = FilterChainBuilder.stateless().add(new InputFilter(filter::holdsOpen));
        if (settings.idleTimeoutSeconds() > 0) {
            idleExecutor = IdleTimeoutFilter.createDefaultIdleDelayedExecutor(1, TimeUnit.SECONDS);
            idleClock = new IdleClock(idleExecutor, TimeUnit.SECONDS.toMillis(settings.idleTimeoutSeconds()), filter::waiting);
            chain.add(idleClock.filter());
        } else {
            idleExecutor = null;
            idleClock = null;
        }
        chain.add(filter);
        transport.setProcessor(chain.build());
        udp = settings.udpPort() == 0 ? null : new UdpListener(new InetSocketAddress(settings.host(), settings.udpPort()),
                settings.limits(), handler, counters, memory, quiescence);
        if (settings.socketPath() == null || settings.socketPath().isBlank()) {
            unix = null;
        } else {
            // the unix socket's connections have no idle timeout: its clients are this host's own
            unix = new UnixListener(Path.of(settings.socketPath()), settings.socketMode(), settings.maxConnections(),
                    counters, MAX_PENDING_OUTPUT,
                    connection -> new Session(connection, settings.limits(), settings.credentials(), handler, counters, continuations, memory,
                            quiescence, () -> { }),
                    session -> {
                        session.closed();
                        counters.closed();
                        handler.closed(session);
                    });
        }
    }

    public void start() throws IOException {
        if (idleExecutor != null) {
            idleExecutor.start();
        }
        if (settings.tcp()) {
            InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
            try {
                serverConnection = transport.bind(address, settings.maxConnections());
                transport.start();
            } catch (IOException e) {
                String reason = "cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage();
                throw AddressTaken.inUse(e, address) ? new AddressTaken(reason, e) : new IOException(reason, e);
            }
        }
        if (udp != null) {
            try {
                udp.start();
            } catch (IOException e) {
                transport.shutdownNow();
                throw e;
            }
        }
        if (unix != null) {
            try {
                unix.start();
            } catch (IOException e) {
                transport.shutdownNow();
                if (udp != null) {
                    udp.close();
                }
                String reason = "the unix socket " + settings.socketPath() + " cannot be listened on: " + e.getMessage();
                throw e instanceof AddressTaken ? new AddressTaken(reason, e) : new IOException(reason, e);
            }
        }
        listening = true;
        LOG.info(() -> "mcq listening on " + (serverConnection == null ? unix.address()
                : address() + (unix == null ? "" : " and " + unix.address())) + "; client memory "
                + settings.clientMemoryBytes() / (1024 * 1024) + " MiB");
    }

    /**
     * Stops in order: no new connections, no new commands; replies under way (waiting for the disk)
     * are written, for up to {@link #STOP_GRACE_SECONDS}; then every connection is closed after its
     * output and the port is freed.
     */
    public void stop() {
        String where = serverConnection != null || !settings.tcp() ? address() : settings.host() + ":" + settings.port();
        try {
            if (serverConnection != null) {
                transport.unbind(serverConnection);
            }
            if (unix != null) {
                unix.unbind();
            }
            if (udp != null) {
                udp.stopReading();
            }
            if (!quiescence.stop(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                LOG.warning("replies still under way after " + STOP_GRACE_SECONDS + " s; closing anyway");
            }
            filter.closeAll(2, TimeUnit.SECONDS);
            if (unix != null) {
                unix.closeAll(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (udp != null) {
            udp.close(); // after the replies under way: a pop's reply is sent before the port goes
        }
        try {
            transport.shutdownNow();
        } catch (IOException e) {
            LOG.warning("closing the listener failed: " + e);
        }
        if (idleExecutor != null) {
            idleExecutor.stop();
            idleExecutor.destroy();
        }
        continuations.shutdownNow();
        if (listening) {
            LOG.info(() -> "mcq listener on " + where + " stopped");
        }
    }

    private void idleAgain(Connection<?> connection) {
        if (idleClock != null) {
            idleClock.restart(connection);
        }
    }

    /** The bound port (useful when configured as 0); -1 without the TCP port. */
    public int port() {
        return serverConnection == null ? -1 : ((InetSocketAddress) serverConnection.getLocalAddress()).getPort();
    }

    /** {@code host:port} as bound, or the unix socket's {@code unix:/path} without the TCP port. */
    public String address() {
        return serverConnection == null && unix != null ? unix.address() : settings.host() + ":" + port();
    }

    /** The UDP port gets are served on, or -1 for none. */
    public int udpPort() {
        return udp == null ? -1 : udp.port();
    }

    /** {@code unix:/path} of the unix socket listened on, or null for none. */
    public String socketAddress() {
        return unix == null ? null : unix.address();
    }

    public TransportStats stats() {
        return counters;
    }
}
