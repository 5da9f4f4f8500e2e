package org.mcq.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mcq.listener.ClientConnection;
import org.mcq.protocol.Command;
import org.mcq.protocol.Limits;
import org.mcq.protocol.Reply;
import org.mcq.protocol.Verb;

/**
 * A streamed reply through the real listener on port 0: its chunks are made as the socket takes
 * them (a client that reads nothing holds the server to a few MiB of them, not the whole reply),
 * chunks that complete later on another thread are written in order, the commands after it are
 * answered after its end, and a client that goes away stops the reply being made.
 */
class StreamedReplyTest {

    /** 64 KiB lines: 2,000 of them are 128 MiB, more than the server may buffer for one connection. */
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 2_000;

    private MemcacheServer server;

    /** The lines of {@code stats}, each chunk completed on another thread, then {@code END}. */
    private static final class Lines implements Reply.Chunks {
        final AtomicInteger made = new AtomicInteger();
        final CountDownLatch abandoned = new CountDownLatch(1);
        private final int count;
        private final Executor later = CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS);

        Lines(int count) {
            this.count = count;
        }

        @Override
        public CompletionStage<byte[]> next() {
            int index = made.getAndIncrement();
            return CompletableFuture.supplyAsync(() -> index < count ? line(index)
                    : index == count ? "END\r\n".getBytes(StandardCharsets.US_ASCII) : null, later);
        }

        @Override
        public void abandon() {
            abandoned.countDown();
        }
    }

    private volatile Lines lines;

    private static byte[] line(int index) {
        byte[] line = new byte[CHUNK];
        Arrays.fill(line, (byte) ('a' + index % 26));
        byte[] head = ("STAT " + index + " ").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, line, 0, head.length);
        line[CHUNK - 2] = '\r';
        line[CHUNK - 1] = '\n';
        return line;
    }

    /** {@code stats}: {@code count} lines; anything else: {@code VERSION 1}. */
    private void start(int count, boolean givenLater) throws Exception {
        server = new MemcacheServer(new ServerSettings("127.0.0.1", 0, 10, new Limits(8192, 1 << 20), 0, 2, 64L << 20),
                new CommandHandler() {
                    @Override
                    public CompletionStage<Reply> handle(Command command, ClientConnection connection) {
                        if (command.verb() != Verb.STATS) {
                            return CompletableFuture.completedFuture(Reply.line("VERSION 1"));
                        }
                        lines = new Lines(count);
                        Reply reply = new Reply.Streamed(lines);
                        return givenLater ? CompletableFuture.supplyAsync(() -> reply,
                                CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS))
                                : CompletableFuture.completedFuture(reply);
                    }

                    @Override
                    public void closed(ClientConnection connection) {
                    }

                    @Override
                    public void inputEnded(ClientConnection connection) {
                    }
                });
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aClientThatDoesNotReadHoldsTheServerToAFewChunks() throws Exception {
        start(CHUNKS, false);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setReceiveBufferSize(64 * 1024);
            OutputStream out = socket.getOutputStream();
            out.write("stats queue\r\nversion\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(1_500);
            int madeWhileUnread = lines.made.get();
            assertTrue(madeWhileUnread < CHUNKS / 4, madeWhileUnread + " chunks of 64 KiB made for a client that reads nothing");
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            for (int i = 0; i < CHUNKS; i++) {
                String line = in.readLine();
                assertTrue(line.startsWith("STAT " + i + " "), "line " + i + " in order: " + line.substring(0, 20));
                assertEquals(CHUNK - 2, line.length());
            }
            assertEquals("END", in.readLine());
            assertEquals("VERSION 1", in.readLine(), "the next command is answered after the reply's end");
        }
    }

    @Test
    void aClientThatGoesAwayStopsTheReply() throws Exception {
        start(CHUNKS, false);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("stats queue\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().readNBytes(CHUNK);
        }
        assertTrue(lines.abandoned.await(10, TimeUnit.SECONDS), "the reply was abandoned");
        assertTrue(lines.made.get() < CHUNKS, lines.made.get() + " chunks made");
    }

    @Test
    void aStreamedReplyGivenLaterIsStreamedToo() throws Exception {
        start(50, true);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("stats queue\r\nversion\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 50; i++) {
                assertTrue(in.readLine().startsWith("STAT " + i + " "));
            }
            assertEquals("END", in.readLine());
            assertEquals("VERSION 1", in.readLine());
        }
    }
}
