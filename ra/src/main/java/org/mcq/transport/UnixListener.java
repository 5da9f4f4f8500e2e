package org.mcq.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
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
 * <p>The socket file gets its mode before any client can reach it: it is bound in a private
 * directory beside its path, given the mode there, and moved into place. A socket left by a crash
 * is replaced; anything else at the path, or a socket another server still answers on, stops the
 * start. The file is removed at the stop if it is still this listener's.
 */
final class UnixListener {

    private static final Logger LOG = Logger.getLogger(UnixListener.class.getName());
    private static final byte[] TOO_MANY = "SERVER_ERROR too many open connections\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    /** The file type bits of {@code unix:mode}, and a socket's. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

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
    private Object fileKey;
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
        server = bind(path, mode, maxConnections);
        try {
            fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT); // no attachment: the accepting key
        } catch (IOException e) {
            server.close();
            removeFile();
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

    /**
     * Binds in a directory only this user may enter, sets the mode there, then links the socket to
     * {@code path}: a client can reach it only once it has its mode, and the link fails, rather than
     * replace it, if anything appeared at the path meanwhile.
     */
    private static ServerSocketChannel bind(Path path, int mode, int backlog) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            replaceStale(path);
        }
        Path staging = staging(path.getParent());
        Path bound = staging.resolve("s");
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(bound), backlog);
            Files.setPosixFilePermissions(bound, permissions(mode));
            Files.createLink(path, bound);
            return channel;
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            throw e;
        } finally {
            Files.deleteIfExists(bound);
            Files.deleteIfExists(staging);
        }
    }

    /**
     * A new directory beside the socket's path, this user's alone, with a short name ({@link
     * #STAGING_EXTRA} bytes with its {@code /s}), so the staged path is little longer than the final one.
     */
    private static Path staging(Path directory) throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            Path staging = directory.resolve(".mcq" + Integer.toString(random.nextInt(1 << 30), 36));
            try {
                return Files.createDirectory(staging,
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(permissions(0700)));
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                if (attempt == 10) {
                    throw taken;
                }
            }
        }
    }

    /** What the staged path adds to the socket's directory: {@code /.mcq}, up to 6 characters, {@code /s}. */
    static final int STAGING_EXTRA = "/.mcq".length() + 6 + "/s".length();

    /**
     * A socket nobody answers on (left by a crash) is removed; a live one, or one this user cannot
     * tell about, or anything else, stops the start. The probe does not wait: a server whose backlog
     * is full answers late, and is alive.
     */
    private static void replaceStale(Path path) throws IOException {
        int type = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT;
        if (type != S_IFSOCK) {
            throw new IOException(path + " exists and is not a socket; it is left as it is");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false);
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new IOException("another server listens on " + path);
        } catch (java.net.ConnectException refused) {
            // nobody listens: a socket left by a server that stopped without removing it
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("another server")) {
                throw e;
            }
            throw new IOException("cannot tell whether another server listens on " + path + " (" + e.getMessage()
                    + "); it is left as it is", e);
        }
        Files.delete(path);
        LOG.info(() -> "mcq replaced the stale socket " + path + " (a server that stopped without removing it)");
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                permissions.add(bits[i]);
            }
        }
        return permissions;
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
        removeFile();
    }

    private void removeFile() {
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (fileKey == null || Objects.equals(key, fileKey)) {
                Files.delete(path);
            }
        } catch (IOException e) {
            // gone already, or replaced by another server's socket: left alone
        }
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
