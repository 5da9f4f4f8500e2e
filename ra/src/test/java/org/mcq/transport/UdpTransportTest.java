package org.mcq.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcq.listener.ClientConnection;
import org.mcq.protocol.Command;
import org.mcq.protocol.Limits;
import org.mcq.protocol.Reply;
import org.mcq.protocol.Stat;
import org.mcq.protocol.Value;

/**
 * The UDP listener with a stub handler: memcached's frame header, a reply split over datagrams of
 * at most 1400 bytes in sequence, what a datagram cannot carry refused, and each request ended for
 * the handler as a connection would be.
 */
class UdpTransportTest {

    private static final byte[] LARGE = new byte[5000];

    private MemcacheServer server;
    private DatagramSocket client;
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger handled = new AtomicInteger();
    /** The reply of {@code get held}, given by the test. */
    private final CompletableFuture<Reply> held = new CompletableFuture<>();
    private boolean stopped;

    @BeforeEach
    void start() throws IOException {
        Arrays.fill(LARGE, (byte) 'L');
        int port;
        try (DatagramSocket free = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        server = new MemcacheServer(new ServerSettings("127.0.0.1", 0, 10, new Limits(8192, 1 << 20), 0, 2, 64L << 20)
                .withUdp(port), new CommandHandler() {
                    @Override
                    public CompletionStage<Reply> handle(Command command, ClientConnection connection) {
                        handled.incrementAndGet();
                        return switch (command.verb()) {
                            case GET -> command.key().equals("held") ? held
                                    : CompletableFuture.supplyAsync(() -> Reply.values( // completed on another thread, as after a commit
                                    List.of(new Value(command.key(), 3, command.key().equals("large") ? LARGE
                                            : ("popped " + command.key() + " " + connection.inputEnded()).getBytes(StandardCharsets.US_ASCII), -1))));
                            case STATS -> CompletableFuture.completedFuture(new Reply.Stats(List.of(new Stat("pid", "1"))));
                            default -> CompletableFuture.completedFuture(Reply.line("VERSION 1"));
                        };
                    }

                    @Override
                    public void closed(ClientConnection connection) {
                        closed.incrementAndGet();
                    }

                    @Override
                    public void inputEnded(ClientConnection connection) {
                    }
                });
        server.start();
        client = new DatagramSocket();
        client.setSoTimeout(10_000);
    }

    @AfterEach
    void stop() {
        client.close();
        held.complete(Reply.END);
        if (!stopped) {
            server.stop();
        }
    }

    @Test
    void aStopSendsTheReplyOfAPopThatWaitedForTheDisk() throws Exception {
        request(11, 1, "get held\r\n");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (handled.get() == 0) {
            assertTrue(System.nanoTime() < deadline, "the get never reached the handler");
            Thread.sleep(5); // between polls of the handler's count
        }
        Thread stopping = new Thread(server::stop, "stopping");
        stopping.start();
        stopped = true;
        while (stopping.getState() != Thread.State.TIMED_WAITING && stopping.isAlive()) {
            Thread.sleep(5); // until the stop waits for the reply under way
        }
        held.complete(Reply.values(List.of(new Value("held", 0, "kept".getBytes(StandardCharsets.US_ASCII), -1))));
        assertEquals("VALUE held 0 4\r\nkept\r\nEND\r\n", reply(11), "the popped message's reply is sent before the port goes");
        stopping.join(30_000);
    }

    @Test
    void aDataBlockIsNeverAllocatedForAUdpRequest() throws Exception {
        request(12, 1, "set q 0 0 1048576\r\n");
        assertEquals("SERVER_ERROR out of memory storing object\r\n", reply(12), "refused from its line, nothing allocated");
        assertEquals(0, handled.get());
    }

    private void request(int id, int count, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer datagram = ByteBuffer.allocate(Datagrams.HEADER + body.length);
        datagram.putShort((short) id).putShort((short) 0).putShort((short) count).putShort((short) 0).put(body);
        client.send(new DatagramPacket(datagram.array(), datagram.capacity(), InetAddress.getLoopbackAddress(),
                server.udpPort()));
    }

    /** Every datagram of the reply to {@code id}, checked and put back together in sequence. */
    private String reply(int id) throws IOException {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        int count = -1;
        for (int sequence = 0; sequence != count; sequence++) {
            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            client.receive(packet);
            assertTrue(packet.getLength() <= Datagrams.MAX_DATAGRAM, "a datagram of " + packet.getLength() + " bytes");
            ByteBuffer in = ByteBuffer.wrap(packet.getData(), 0, packet.getLength());
            assertEquals(id, in.getShort() & 0xFFFF, "the request id echoed");
            assertEquals(sequence, in.getShort() & 0xFFFF, "in sequence (loopback keeps the order)");
            int total = in.getShort() & 0xFFFF;
            assertTrue(count == -1 || count == total, "every datagram gives the same count");
            count = total;
            assertEquals(0, in.getShort());
            whole.write(packet.getData(), Datagrams.HEADER, packet.getLength() - Datagrams.HEADER);
        }
        return whole.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aGetIsAnsweredInOneDatagramWithTheRequestsId() throws Exception {
        request(4242, 1, "get q\r\nversion\r\n");
        assertEquals("VALUE q 3 13\r\npopped q true\r\nEND\r\nVERSION 1\r\n", reply(4242),
                "the replies in order; a datagram is all there is, so no read waits (inputEnded)");
        request(7, 1, "stats\r\n");
        assertEquals("STAT pid 1\r\nEND\r\n", reply(7));
        assertEquals(2, closed.get(), "each request ends for the handler as a connection would");
    }

    @Test
    void aLongReplyIsSplitOverDatagramsInSequence() throws Exception {
        request(65535, 1, "get large\r\n");
        String expected = "VALUE large 3 5000\r\n" + new String(LARGE, StandardCharsets.ISO_8859_1) + "\r\nEND\r\n";
        assertEquals(expected, reply(65535));
        assertEquals(4, (expected.length() + 1391) / 1392, "four datagrams, as counted in the loop above");
    }

    @Test
    void whatBelongsToAConnectionOrToTcpIsRefused() throws Exception {
        request(1, 1, "get q/open\r\nget q/t=100\r\nset q 0 0 1\r\nx\r\ndelete q\r\nstats queue\r\n");
        assertEquals("CLIENT_ERROR reliable and blocking reads need a connection: use the TCP port\r\n"
                + "CLIENT_ERROR reliable and blocking reads need a connection: use the TCP port\r\n"
                + "CLIENT_ERROR set is not served over UDP: use the TCP port\r\n"
                + "CLIENT_ERROR delete is not served over UDP: use the TCP port\r\n"
                + "CLIENT_ERROR stats is not served over UDP: use the TCP port\r\n", reply(1));
        assertEquals(0, handled.get(), "none reached the handler");
        request(2, 2, "get q\r\n");
        assertEquals("SERVER_ERROR multi-packet request not supported\r\n", reply(2));
        assertEquals(0, handled.get());
    }

    @Test
    void aListenerWhoseTcpPortIsTakenFailsWithTheReasonAndStopsCleanly() throws Exception {
        try (java.net.ServerSocket other = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             DatagramSocket free = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int udpPort = free.getLocalPort();
            free.close();
            MemcacheServer taken = new MemcacheServer(new ServerSettings("127.0.0.1", other.getLocalPort(), 10,
                    new Limits(8192, 1 << 20), 0, 2, 64L << 20).withUdp(udpPort), new CommandHandler() {
                        @Override
                        public CompletionStage<Reply> handle(Command command, ClientConnection connection) {
                            return CompletableFuture.completedFuture(Reply.END);
                        }

                        @Override
                        public void closed(ClientConnection connection) {
                        }

                        @Override
                        public void inputEnded(ClientConnection connection) {
                        }
                    });
            IOException failure = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, taken::start);
            assertTrue(failure.getMessage().contains("Address already in use"), failure.getMessage());
            taken.stop(); // the UDP listener never started: nothing to stop, and no exception
            try (DatagramSocket again = new DatagramSocket(udpPort, InetAddress.getLoopbackAddress())) {
                assertEquals(udpPort, again.getLocalPort(), "the UDP port was never held, or was let go");
            }
        }
    }
}
