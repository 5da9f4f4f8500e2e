package org.mcq.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mcq.listener.ClientConnection;
import org.mcq.protocol.Command;
import org.mcq.protocol.Limits;
import org.mcq.protocol.Reply;
import org.mcq.protocol.Value;
import org.mcq.protocol.Verb;

/**
 * The transport on its own (component tier): the real listener on port 0 with a stub handler in
 * place of the bean. A connection's commands run one at a time and are answered in order, however
 * many arrive in one packet; a reply that waits holds that connection's next command (it runs
 * after it) and no other connection's; a client that half-closes gets every reply before the
 * close, whether its end of input comes before the reply or after; a client that reads nothing stops the server reading its commands, so what it makes the
 * server hold stays bounded, and every reply still comes, in order, once it reads.
 */
@Timeout(120) // the unix client's reads have no timeout of their own: a lost reply fails, not hangs
class TransportTest {

    private static final int BIG = 64 * 1024;

    MemcacheServer server;
    private final AtomicInteger handled = new AtomicInteger();
    /** Replies the test gives by hand, by key. */
    private final Map<String, CompletableFuture<Reply>> held = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** What the connection said of its input when the handler was told it ended. */
    private final CompletableFuture<Boolean> inputEnded = new CompletableFuture<>();
    /** A {@code get slow} has reached the handler, which runs it until {@link #release}. */
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private boolean stopped;

    @BeforeEach
    void start() throws IOException {
        server = new MemcacheServer(settings(),
                new CommandHandler() {
                    @Override
                    public CompletionStage<Reply> handle(Command command, ClientConnection connection) {
                        handled.incrementAndGet();
                        return switch (command.verb()) {
                            case SET -> CompletableFuture.completedFuture(Reply.STORED);
                            case GET -> get(command.key());
                            default -> CompletableFuture.completedFuture(Reply.line("VERSION 1"));
                        };
                    }

                    @Override
                    public void closed(ClientConnection connection) {
                        closed.countDown();
                    }

                    @Override
                    public void inputEnded(ClientConnection connection) {
                        inputEnded.complete(connection.inputEnded());
                    }
                });
        server.start();
    }

    /** {@code big}: a 64 KiB value at once; {@code held-*}: the reply the test completes; else {@code END}. */
    private CompletionStage<Reply> get(String key) {
        if (key.equals("big")) {
            return CompletableFuture.completedFuture(Reply.values(List.of(new Value(key, 0, new byte[BIG], -1))));
        }
        if (key.equals("slow")) {
            // a command that takes its time on the selector thread (a pop in no-sync mode is done at once, not waited for)
            slowEntered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture(Reply.values(List.of(new Value(key, 0, "popped".getBytes(StandardCharsets.US_ASCII), -1))));
        }
        if (key.startsWith("held-")) {
            return held.computeIfAbsent(key, k -> new CompletableFuture<>());
        }
        return CompletableFuture.completedFuture(Reply.END);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (!stopped) {
            server.stop();
        }
    }

    @Test
    void aStopWaitsForTheCommandRunningWhenItBeganAndWritesItsReply() throws Exception {
        try (Client socket = connect()) {
            send(socket, "get slow\r\n");
            assertTrue(slowEntered.await(30, TimeUnit.SECONDS));
            Thread stopping = new Thread(server::stop, "stopping");
            stopping.start();
            stopped = true;
            // the stop goes as far as it can while the get runs: waiting for it, or (the bug) past it and closing
            await(() -> stopping.getState() == Thread.State.TIMED_WAITING || !stopping.isAlive(),
                    "the stop neither waits nor ends");
            release.countDown();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            assertEquals("VALUE slow 0 6", line(in), "the popped message's reply is written before the close");
            assertEquals("popped", line(in));
            assertEquals("END", line(in));
            assertNull(line(in), "then the connection is closed");
            stopping.join(30_000);
        }
    }

    @Test
    void aThousandPipelinedCommandsInOneWriteAreAnsweredInOrder() throws Exception {
        try (Client socket = connect()) {
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                burst.append("set q").append(i).append(" 0 0 1\r\nx\r\n");
            }
            send(socket, burst.append("version\r\n").toString());
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < 1000; i++) {
                assertEquals("STORED", line(in), "reply " + i);
            }
            assertEquals("VERSION 1", line(in));
            assertEquals(1001, handled.get());
        }
    }

    @Test
    void aReplyThatWaitsHoldsItsConnectionsNextCommandButNoOtherConnection() throws Exception {
        try (Client waiting = connect(); Client other = connect()) {
            send(waiting, "get held-1\r\nversion\r\n");
            CompletableFuture<Reply> reply = awaitHeld("held-1");
            send(other, "version\r\n");
            assertEquals("VERSION 1", line(other.getInputStream()), "another connection is served meanwhile");
            assertEquals(2, handled.get(), "the waiting connection's next command has not run: only its get and the other's version");

            reply.complete(Reply.values(List.of(new Value("held-1", 5, "late".getBytes(StandardCharsets.US_ASCII), -1))));
            InputStream in = new BufferedInputStream(waiting.getInputStream());
            assertEquals("VALUE held-1 5 4", line(in));
            assertEquals("late", line(in));
            assertEquals("END", line(in));
            assertEquals("VERSION 1", line(in), "the next command runs once the reply is given");
        }
    }

    @Test
    void aClientThatHalfClosesGetsEveryReplyBeforeTheClose() throws Exception {
        try (Client socket = connect()) {
            send(socket, "set q 0 0 1\r\nx\r\nget held-2\r\nversion\r\n");
            socket.shutdownOutput();
            awaitHeld("held-2").complete(Reply.END);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            assertEquals("STORED", line(in));
            assertEquals("END", line(in));
            assertEquals("VERSION 1", line(in));
            assertNull(line(in), "then the server closes");
        }
        assertTrue(closed.await(10, TimeUnit.SECONDS), "the handler hears the connection is gone");
    }

    @Test
    void aCommandReadWhileAReplyWaitsRunsAfterIt() throws Exception {
        try (Client socket = connect()) {
            send(socket, "get held-3\r\n");
            CompletableFuture<Reply> reply = awaitHeld("held-3");
            send(socket, "version\r\n");
            long sent = "get held-3\r\nversion\r\n".length();
            await(() -> server.stats().bytesRead() == sent, "the command sent while the reply waits was never read");
            assertEquals(1, handled.get(), "read, and held: it has not run before the reply ahead of it");

            reply.complete(Reply.END);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            assertEquals("END", line(in));
            assertEquals("VERSION 1", line(in));
            send(socket, "version\r\n");
            assertEquals("VERSION 1", line(in), "and the connection is read again");
        }
    }

    @Test
    void aClientThatHalfClosesWhileItsReplyWaitsGetsItBeforeTheClose() throws Exception {
        try (Client socket = connect()) {
            send(socket, "get held-4\r\n");
            CompletableFuture<Reply> reply = awaitHeld("held-4");
            socket.shutdownOutput(); // the connection is read while the reply waits: the end of input comes first
            reply.complete(Reply.END);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            assertEquals("END", line(in));
            assertNull(line(in), "then the server closes");
        }
        assertTrue(closed.await(10, TimeUnit.SECONDS), "the handler hears the connection is gone");
    }

    /**
     * A client that closes while its get waits for a message looks, here, like one that half-closed:
     * the handler is told, so that it ends the wait (with none, as the store does) instead of taking
     * a message whose reply would meet a closed socket.
     */
    @Test
    void anEndOfInputWhileAReplyWaitsIsToldToTheHandlerAndTheConnectionSaysSo() throws Exception {
        try (Client socket = connect()) {
            send(socket, "get held-5\r\n");
            CompletableFuture<Reply> reply = awaitHeld("held-5");
            socket.shutdownOutput();
            assertTrue(inputEnded.get(10, TimeUnit.SECONDS), "told, and the connection's inputEnded() is true");
            reply.complete(Reply.END); // the wait ended with no message
            InputStream in = new BufferedInputStream(socket.getInputStream());
            assertEquals("END", line(in));
            assertNull(line(in), "then the server closes");
        }
        assertTrue(closed.await(10, TimeUnit.SECONDS), "the handler hears the connection is gone");
    }

    @Test
    void aClientThatReadsNothingStopsTheServerReadingItsCommands() throws Exception {
        int gets = 20_000; // 1.25 GiB of replies, far past the 64 MiB the server may hold for clients
        try (Client socket = connect()) {
            socket.setReceiveBufferSize(64 * 1024);
            send(socket, "get big\r\n".repeat(gets));
            await(() -> server.stats().outputStalls() > 0, "the server never held the connection's reading");
            int whileUnread = handled.get(); // fixed from here: the connection's next command waits for the output to drain
            assertTrue(whileUnread < gets / 10, whileUnread + " commands run for a client that reads nothing");
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            for (int i = 0; i < gets; i++) {
                assertEquals("VALUE big 0 " + BIG, line(in), "reply " + i);
                in.skipNBytes(BIG);
                assertEquals("", line(in));
                assertEquals("END", line(in));
            }
            send(socket, "version\r\n");
            assertEquals("VERSION 1", line(in));
            assertEquals(gets + 1, handled.get());
        }
    }

    @Test
    void aClientGoneIsToldToTheHandler() throws Exception {
        try (Client socket = connect()) {
            send(socket, "version\r\n");
            assertEquals("VERSION 1", line(socket.getInputStream()));
        }
        assertTrue(closed.await(10, TimeUnit.SECONDS));
    }

    /** A client connection, over TCP here and a unix socket in {@link UnixTransportTest}. */
    interface Client extends AutoCloseable {
        InputStream getInputStream() throws IOException;

        OutputStream getOutputStream() throws IOException;

        void shutdownOutput() throws IOException;

        void setReceiveBufferSize(int bytes) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** The settings the server under test starts with. */
    ServerSettings settings() {
        return new ServerSettings("127.0.0.1", 0, 10, new Limits(8192, 1 << 20), 0, 2, 64L << 20);
    }

    Client connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(30_000);
        return new Client() {
            @Override
            public InputStream getInputStream() throws IOException {
                return socket.getInputStream();
            }

            @Override
            public OutputStream getOutputStream() throws IOException {
                return socket.getOutputStream();
            }

            @Override
            public void shutdownOutput() throws IOException {
                socket.shutdownOutput();
            }

            @Override
            public void setReceiveBufferSize(int bytes) throws IOException {
                socket.setReceiveBufferSize(bytes);
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }

    private CompletableFuture<Reply> awaitHeld(String key) throws InterruptedException {
        await(() -> held.containsKey(key), key + " never reached the handler");
        return held.get(key);
    }

    private static void await(BooleanSupplier condition, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, failure);
            Thread.sleep(5); // between polls of the server's state
        }
    }

    static void send(Client socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One line without its CRLF; null at the end of the stream. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, Math.max(0, bytes.length - 1), StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
