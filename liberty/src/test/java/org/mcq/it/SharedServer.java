package org.mcq.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One server in default configuration shared by the protocol test classes of a run, started on
 * first use and stopped when the run ends. Tests keep to their own queue names. It listens on a
 * unix socket and a UDP port as well, as a site moving from {@code memcacheq -s} or {@code -U} would
 * have them.
 */
public final class SharedServer implements BeforeAllCallback {

    private static LibertyServer server;
    private static Path socket;
    private static int udpPort;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        get(context);
    }

    static synchronized LibertyServer get(ExtensionContext context) throws Exception {
        if (server == null) {
            // a short directory: a unix socket's path is at most 107 bytes; searchable by all, so that
            // the socket's own mode is what keeps other users out
            Path directory = Files.createTempDirectory("mcq-it");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            socket = directory.resolve("mcq.sock");
            try (java.net.DatagramSocket free = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                udpPort = free.getLocalPort();
            }
            server = LibertyServer.start("shared", Map.of("MCQ_SOCKET_PATH", socket.toString(),
                    "MCQ_UDP_PORT", Integer.toString(udpPort), "MCQ_FANOUT", "true"));
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .put(SharedServer.class, (ExtensionContext.Store.CloseableResource) () -> {
                        server.stop();
                        Files.deleteIfExists(socket); // the server removes it at its stop; not after a kill
                        Files.deleteIfExists(directory);
                    });
        }
        return server;
    }

    /** The UDP port the shared server serves gets on. */
    public static synchronized int udpPort() {
        server();
        return udpPort;
    }

    /** The unix socket the shared server listens on beside its TCP port. */
    public static synchronized Path socket() {
        server();
        return socket;
    }

    public static synchronized LibertyServer server() {
        if (server == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(SharedServer.class)");
        }
        return server;
    }
}
