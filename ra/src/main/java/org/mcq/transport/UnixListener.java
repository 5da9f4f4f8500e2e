package org.mcq.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The listener on a unix socket (MemcacheQ's {@code -s} and {@code -a}): the JDK's own channels,
 * since Grizzly's TCP transport binds through {@code ServerSocket}, which takes no unix address. One
 * selector thread accepts and reads; commands run on it, as on the TCP selectors, and feed the same
 * sessions, so the codec, limits, memory budget, counters and reliable reads are the TCP port's.
 *
 * <p>Its file is a {@link SocketFile}: given its mode before any client can reach it, a stale one
 * replaced, removed at the stop.
 */
final class UnixListener {

    private static final Logger LOG = Logger.getLogger(UnixListener.class.getName());
    private static final byte[] TOO_MANY = "SERVER_ERROR too many open connections\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);

    private final Path path;
    private final int mode;
    private final int maxConnections;
    private final ConnectionCounters counters;
    private final long maxPendingOutput;
    private final Function<UnixConnection, Session> sessions;
    private final Consumer<Session> ended;
    private final Set<UnixConnection> open = ConcurrentHashMap.newKeySet();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(MemcacheServer.READ_BUFFER);
    private Selector selector;
    private ServerSocketChannel server;
    private SocketFile file;
    private Thread thread;
    private volatile boolean running;

    /**
     * @param mode     the socket file's permission bits ({@code 0700}: its owner alone may connect)
     * @param sessions makes the session of a connection admitted
     * @param ended    what follows a session's connection closing (as for a TCP connection's)
     */
    UnixListener(Path path, int mode, int maxConnections, ConnectionCounters counters, long maxPendingOutput,
                 Function<UnixConnection, Session> sessions, Consumer<Session> ended) {
        this.ended = ended;
        this.path = path.toAbsolutePath();
        this.mode = mode;
        this.maxConnections = maxConnections;
        this.counters = counters;
        this.maxPendingOutput = maxPendingOutput;
        this.sessions = sessions;
    }

    void start() throws IOException {
        file = new SocketFile(path);
        server = file.bind(mode, maxConnections);
        try {
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT); // no attachment: the accepting key
        } catch (IOException e) {
            server.close();
            file.remove();
            throw e;
        }
        running = true;
        thread = new Thread(this::run, "mcq-unix-selector");
        thread.setDaemon(true);
        thread.start();
    }

    String address() {
        return "unix:" + path;
    }

    private void run() {
        while (running) {
            try {
                selector.select();
            } catch (ClosedSelectorException e) {
                return; // stopped
            } catch (IOException e) {
                LOG.log(Level.SEVERE, "the unix socket listener on " + path + " failed", e);
                return;
            }
            for (SelectionKey key : selector.selectedKeys()) {
                handle(key);
            }
            selector.selectedKeys().clear();
        }
    }

    /** One ready key; whatever fails is that connection's (or that accept's) alone. */
    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.attachment() == null) {
            accept();
            return;
        }
        UnixConnection connection = (UnixConnection) key.attachment();
        try {
            if (key.isWritable()) {
                connection.writable();
            }
            if (key.isValid() && key.isReadable()) {
                connection.readable(readBuffer);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a unix socket connection failed; closing it", e);
            connection.closeNow();
        }
    }

    private void accept() {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (java.nio.channels.ClosedChannelException stopped) {
                return; // unbound by the stop
            } catch (IOException e) {
                // out of file descriptors, say: the client waits in the backlog, and is tried again
                LOG.log(Level.WARNING, "accepting a unix socket connection failed", e);
                return;
            }
            if (channel == null) {
                return;
            }
            try {
                admit(channel);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "a unix socket client was gone before it was admitted", e);
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closed either way
                }
            }
        }
    }

    private void admit(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        if (!counters.tryOpen(maxConnections)) {
            // as memcached: say why, then hang up, before any state is allocated for the connection
            try {
                channel.write(ByteBuffer.wrap(TOO_MANY));
            } finally {
                channel.close();
            }
            return;
        }
        SelectionKey key;
        try {
            key = channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            counters.closed();
            throw e;
        }
        UnixConnection connection = new UnixConnection(channel, key, this, counters, maxPendingOutput, this::closed);
        connection.attach(sessions.apply(connection)); // before it is seen: a stop closing it finds its session
        open.add(connection);
        key.attach(connection);
    }

    private void closed(UnixConnection connection) {
        open.remove(connection);
        if (connection.session() != null) {
            ended.accept(connection.session());
        }
    }

    /** Turns {@code op} on or off for {@code key}, from any thread; the selector sees it at once. */
    void interest(SelectionKey key, int op, boolean on) {
        try {
            if (on) {
                key.interestOpsOr(op);
            } else {
                key.interestOpsAnd(~op);
            }
        } catch (java.nio.channels.CancelledKeyException e) {
            return; // closed meanwhile
        }
        if (Thread.currentThread() != thread) {
            selector.wakeup();
        }
    }

    /** No new connections; the socket file is removed. Connections open stay until {@link #closeAll}. */
    void unbind() {
        if (server == null || !server.isOpen()) {
            return; // never started
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warning("closing the unix socket " + path + " failed: " + e);
        }
        selector.wakeup(); // the closed channel's key is let go at the next select
        file.remove();
    }

    /** Closes every connection after its output, waiting up to the timeout; then stops the selector. */
    void closeAll(long timeout, TimeUnit unit) {
        if (thread == null) {
            return; // never started
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (UnixConnection connection : open) {
            connection.close();
            closing.add(connection.closedFuture());
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(timeout, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closed abruptly next
        }
        running = false;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (UnixConnection connection : open) {
            connection.closeNow();
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closed either way
        }
    }
}
