package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What clients make the server hold stays within the client memory budget: 700 connections each
 * holding 950,000 bytes of an unfinished 1 MB body cannot exhaust the heap or starve other
 * clients; a reply that does not fit is refused before anything is taken from the queue; a body
 * that could never fit is refused and skipped.
 */
class ClientMemoryIT {

    private static final int FLOODERS = 700;
    private static final int BODY = 1_000_000;
    private static final int SENT = 950_000;
    private static final long BUDGET_MIB = 100;
    /** Large requests fill three quarters of the budget; 78 bodies of 1,000,000 leave 643,200 bytes. */
    private static final int LARGE_REPLY = 700_000;
    /** Documented in the README: with the default 512 MiB heap, RSS stays under this whatever clients do. */
    private static final long RSS_BOUND_MIB = 850;
    private static final long PROBE_MILLIS = 15_000;

    private static LibertyServer server;

    @BeforeAll
    static void start() throws Exception {
        server = LibertyServer.start("client-memory", Map.of("MCQ_CLIENT_MEMORY_MB", Long.toString(BUDGET_MIB),
                "MCQ_MAX_MESSAGE_SIZE", Integer.toString(200 * 1024 * 1024), "MCQ_MAX_CONNECTIONS", "1024"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @Test
    void unfinishedBodiesWaitUnreadWhileOtherClientsAreServed() throws Exception {
        byte[] large = new byte[LARGE_REPLY];
        Arrays.fill(large, (byte) 'L');
        try (MemcacheClient c = server.client()) {
            assertEquals("STORED", c.set("memory-large", 7, large));
        }
        List<Socket> flooders = new ArrayList<>();
        AtomicInteger sendFailures = new AtomicInteger();
        try {
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < FLOODERS; i++) {
                Socket socket = new Socket("127.0.0.1", server.port());
                flooders.add(socket);
                Thread sender = new Thread(() -> sendUnfinishedBody(socket, sendFailures), "flooder-" + i);
                sender.setDaemon(true); // blocked in write for as long as the server does not read
                sender.start();
                senders.add(sender);
            }
            try (MemcacheClient probe = server.client()) {
                assertTrue(Eventually.holds(Duration.ofSeconds(60), () -> waits(probe) >= FLOODERS / 2),
                        "the flooders never had to wait for memory: " + probe.stats(null));
                assertEquals("SERVER_ERROR out of memory writing get response", probe.call("get memory-large"),
                        "no room for a large reply while the budget is full");

                long[] latencies = probe(probe);
                Arrays.sort(latencies);
                long p50 = latencies[latencies.length / 2] / 1000;
                long p99 = latencies[(int) (latencies.length * 0.99)] / 1000;
                long max = latencies[latencies.length - 1] / 1000;
                Map<String, String> stats = probe.stats(null);
                long used = Long.parseLong(stats.get("client_memory_used"));
                long limit = Long.parseLong(stats.get("client_memory_limit"));
                long rss = server.rssMiB();
                System.out.printf("FLOOD %d x %d of %d bytes held: probe set+get %d pairs, p50 %d us, p99 %d us, "
                                + "max %d us; client memory %d of %d bytes, waits %s; RSS %d MiB%n",
                        FLOODERS, SENT, BODY, latencies.length, p50, p99, max, used, limit,
                        stats.get("client_memory_waits"), rss);
                assertTrue(p99 < 2_000_000, "probe p99 " + p99 + " us");
                assertTrue(used <= limit, used + " held, over the budget of " + limit);
                assertTrue(rss < RSS_BOUND_MIB, "RSS " + rss + " MiB");
            }
        } finally {
            for (Socket socket : flooders) {
                socket.close();
            }
        }
        try (MemcacheClient c = server.client()) {
            assertTrue(Eventually.holds(Duration.ofSeconds(30),
                    () -> Long.parseLong(c.stats(null).get("client_memory_used")) < 1024 * 1024),
                    "the flood's memory was not given back: " + c.stats(null));
            MemcacheClient.Item item = c.get("memory-large");
            assertEquals(7, item.flags(), "the refused get took nothing");
            assertTrue(Arrays.equals(large, item.body()));
            for (String queue : c.stats("queue").keySet()) {
                assertFalse(queue.startsWith("flood-"), "part of an unfinished body was stored: " + queue);
            }
        }
        assertEquals(0, sendFailures.get(), "a flooder could not send its header");
        assertFalse(server.messagesLog().contains("OutOfMemoryError"), "OutOfMemoryError in messages.log");
    }

    @Test
    void aBodyThatCouldNeverFitIsRefusedAndSkipped() throws Exception {
        int size = (int) (BUDGET_MIB * 1024 * 1024 / 4 * 3) + 1;
        try (MemcacheClient c = server.client()) {
            byte[] body = new byte[size];
            assertEquals("SERVER_ERROR out of memory storing object", c.set("memory-huge", 0, body));
            assertEquals("STORED", c.set("memory-huge", "after"), "in step after the skipped body");
            assertEquals("after", c.getText("memory-huge"));
            assertNull(c.get("memory-huge"));
        }
    }

    private static void sendUnfinishedBody(Socket socket, AtomicInteger failures) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("set flood-" + socket.getLocalPort() + " 0 0 " + BODY + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] chunk = new byte[50_000];
            for (int sent = 0; sent < SENT; sent += chunk.length) {
                out.write(chunk);
            }
            out.flush();
        } catch (IOException e) {
            if (!socket.isClosed()) {
                failures.incrementAndGet();
            }
        }
    }

    /** Set+get pairs on one connection for a while; returns each pair's time in nanoseconds. */
    private static long[] probe(MemcacheClient probe) throws IOException {
        List<Long> times = new ArrayList<>();
        long end = System.nanoTime() + PROBE_MILLIS * 1_000_000;
        for (int i = 0; System.nanoTime() < end; i++) {
            long begin = System.nanoTime();
            assertEquals("STORED", probe.set("memory-probe", "probe-" + i));
            assertEquals("probe-" + i, probe.getText("memory-probe"));
            times.add(System.nanoTime() - begin);
        }
        return times.stream().mapToLong(Long::longValue).toArray();
    }

    private static long waits(MemcacheClient client) throws IOException {
        return Long.parseLong(client.stats(null).get("client_memory_waits"));
    }
}
