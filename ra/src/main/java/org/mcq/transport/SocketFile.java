package org.mcq.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A unix socket's file (MemcacheQ's {@code -s} path, {@code -a} mode). It gets its mode before any
 * client can reach it: bound in a private directory beside its path, given the mode there, and
 * linked into place. A socket left by a crash is replaced; anything else at the path, or a socket
 * another server still answers on, stops the start. It is removed at the stop if it is still this
 * listener's.
 */
final class SocketFile {

    private static final Logger LOG = Logger.getLogger(SocketFile.class.getName());
    /** The file type bits of {@code unix:mode}, and a socket's. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    /** The bound file's identity: the stop removes that file only, not one another server put there since. */
    private Object fileKey;

    SocketFile(Path path) {
        this.path = path;
    }

    /**
     * Binds in a directory only this user may enter, sets the mode there, then links the socket to
     * {@code path}: a client can reach it only once it has its mode, and the link fails, rather than
     * replace it, if anything appeared at the path meanwhile.
     */
    ServerSocketChannel bind(int mode, int backlog) throws IOException {
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
            fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
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
            throw new AddressTaken("another server listens on " + path, null);
        } catch (java.net.ConnectException refused) {
            // nobody listens: a socket left by a server that stopped without removing it
        } catch (AddressTaken e) {
            throw e;
        } catch (IOException e) {
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

    /** Removes the file if it is still the one bound here. */
    void remove() {
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (fileKey != null && Objects.equals(key, fileKey)) {
                Files.delete(path);
            }
        } catch (IOException e) {
            // gone already, or replaced by another server's socket: left alone
        }
    }
}
