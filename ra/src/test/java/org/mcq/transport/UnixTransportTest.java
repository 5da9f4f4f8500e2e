package org.mcq.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcq.listener.ClientConnection;
import org.mcq.protocol.Command;
import org.mcq.protocol.Limits;
import org.mcq.protocol.Reply;

/**
 * Every transport test again over a unix socket (the TCP port listens as well, as it does in the
 * server), and what only a unix socket has: its file's mode, a stale file replaced, anything else at
 * its path left alone, its removal at the stop, and the connection limit shared with TCP.
 */
class UnixTransportTest extends TransportTest {

    @TempDir
    Path directory;

    private Path socket() {
        return directory.resolve("mcq.sock");
    }

    @Override
    ServerSettings settings() {
        return super.settings().withSocket(socket().toString(), 0700);
    }

    @Override
    Client connect() throws IOException {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket()));
        InputStream in = Channels.newInputStream(channel);
        OutputStream out = Channels.newOutputStream(channel);
        return new Client() {
            @Override
            public InputStream getInputStream() {
                return in;
            }

            @Override
            public OutputStream getOutputStream() {
                return out;
            }

            @Override
            public void shutdownOutput() throws IOException {
                channel.shutdownOutput();
            }

            @Override
            public void setReceiveBufferSize(int bytes) throws IOException {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, bytes);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    private static MemcacheServer versionServer(ServerSettings settings) {
        return new MemcacheServer(settings, new CommandHandler() {
            @Override
            public CompletionStage<Reply> handle(Command command, ClientConnection connection) {
                return CompletableFuture.completedFuture(Reply.line("VERSION 2"));
            }

            @Override
            public void closed(ClientConnection connection) {
            }

            @Override
            public void inputEnded(ClientConnection connection) {
            }
        });
    }

    private static String version(Path path) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            channel.write(StandardCharsets.US_ASCII.encode("version\r\n"));
            return new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    @Test
    void theSocketFileHasTheModeAndIsRemovedAtTheStop() throws Exception {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket())));
        Path shared = directory.resolve("group.sock");
        MemcacheServer group = versionServer(super.settings().withSocket(shared.toString(), 0770));
        group.start();
        try {
            assertEquals("rwxrwx---", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
            assertEquals("VERSION 2", version(shared));
            try (var listing = Files.list(directory)) {
                assertEquals(List.of("group.sock", "mcq.sock"), listing.map(p -> p.getFileName().toString()).sorted().toList(),
                        "nothing left of the directory it was bound in");
            }
        } finally {
            group.stop();
        }
        assertFalse(Files.exists(shared), "removed at the stop");
    }

    @Test
    void withoutItsTcpPortTheListenerServesTheSocketAlone() throws Exception {
        Path alone = directory.resolve("alone.sock");
        MemcacheServer unixOnly = versionServer(super.settings().withSocket(alone.toString(), 0700).withoutTcp());
        unixOnly.start();
        try {
            assertEquals(-1, unixOnly.port(), "no TCP port bound");
            assertEquals("unix:" + alone, unixOnly.address(), "what health reports as the listener's address");
            assertEquals("VERSION 2", version(alone));
        } finally {
            unixOnly.stop();
        }
        assertFalse(Files.exists(alone));
    }

    @Test
    void aStaleSocketIsReplacedAndAnythingElseIsLeftAlone() throws Exception {
        Path stale = directory.resolve("stale.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(stale)); // the file outlives the channel, as after a kill -9
        }
        assertTrue(Files.exists(stale));
        MemcacheServer replacing = versionServer(super.settings().withSocket(stale.toString(), 0700));
        replacing.start();
        try {
            assertEquals("VERSION 2", version(stale));

            MemcacheServer second = versionServer(super.settings().withSocket(stale.toString(), 0700));
            IOException live = assertThrows(IOException.class, second::start);
            assertTrue(live.getMessage().contains("another server listens on"), live.getMessage());
            assertInstanceOf(AddressTaken.class, live, "worth trying again: the other server may stop");
            assertEquals("VERSION 2", version(stale), "the live server keeps its socket");
        } finally {
            replacing.stop();
        }

        Path file = Files.writeString(directory.resolve("data.txt"), "precious");
        MemcacheServer refused = versionServer(super.settings().withSocket(file.toString(), 0700));
        IOException notSocket = assertThrows(IOException.class, refused::start);
        assertTrue(notSocket.getMessage().contains("is not a socket"), notSocket.getMessage());
        assertFalse(notSocket instanceof AddressTaken, "waiting would not mend it");
        assertEquals("precious", Files.readString(file), "left as it was");
    }

    @Test
    void clientsOverTheLimitThatHangUpAtOnceLeaveTheListenerServing() throws Exception {
        List<Client> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                clients.add(connect());
            }
            for (int i = 0; i < 200; i++) {
                connect().close(); // its "too many" line meets a closed socket: a broken pipe the listener must survive
            }
            for (Client client : clients) {
                send(client, "version\r\n");
                assertEquals("VERSION 1", line(client.getInputStream()), "still served");
            }
        } finally {
            for (Client client : clients) {
                client.close();
            }
        }
        try (Client after = connect()) {
            send(after, "version\r\n");
            assertEquals("VERSION 1", line(after.getInputStream()), "and new clients admitted once there is room");
        }
    }

    @Test
    void theConnectionLimitCountsTcpAndUnixConnectionsTogether() throws Exception {
        List<Client> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) { // the limit of settings()
                Client client = connect();
                clients.add(client);
                send(client, "version\r\n");
                assertEquals("VERSION 1", line(client.getInputStream()));
            }
            try (Client over = connect()) {
                assertEquals("SERVER_ERROR too many open connections", line(over.getInputStream()));
            }
            try (java.net.Socket tcp = new java.net.Socket("127.0.0.1", server.port())) {
                assertEquals("SERVER_ERROR too many open connections", line(tcp.getInputStream()));
            }
        } finally {
            for (Client client : clients) {
                client.close();
            }
        }
    }
}
