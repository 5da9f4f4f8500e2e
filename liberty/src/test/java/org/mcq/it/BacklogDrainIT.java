package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Bodies beyond the memory budget live only in Derby and are read back when consumed. That read
 * happens off the selector threads: while one connection drains a backlog of hundreds of MB,
 * another connection's set+get on a small queue keeps its latency.
 */
class BacklogDrainIT {

    private static final int BODY = 64 * 1024;
    private static final int MESSAGES = 4800; // 300 MiB, far past the 64 MiB of bodies kept on the heap
    private static final int PIPELINE = 16;

    @Test
    void drainingBodiesFromDiskDoesNotStallOtherConnections() throws Exception {
        try (LibertyServer server = LibertyServer.start("drain", Map.of("MCQ_SYNC", "false"))) {
            fill(server);
            try (MemcacheClient observer = server.client()) {
                Map<String, String> stats = observer.stats(null);
                assertEquals(Integer.toString(MESSAGES), stats.get("curr_items"));
                assertTrue(Long.parseLong(stats.get("cached_bytes")) <= 64L * 1024 * 1024, stats.get("cached_bytes"));
            }
            CompletableFuture<Long> drained = CompletableFuture.supplyAsync(() -> drain(server));
            List<Long> latencies = new ArrayList<>();
            try (MemcacheClient probe = server.client()) {
                for (int i = 0; !drained.isDone(); i++) {
                    long begin = System.nanoTime();
                    assertEquals("STORED", probe.set("drain-probe", "p" + i));
                    assertEquals("p" + i, probe.getText("drain-probe"));
                    latencies.add(System.nanoTime() - begin);
                }
            }
            long drainNanos = drained.join();
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            long p50 = sorted[sorted.length / 2] / 1000;
            long p99 = sorted[(int) (sorted.length * 0.99)] / 1000;
            long p999 = sorted[(int) (sorted.length * 0.999)] / 1000;
            System.out.printf("DRAIN %d x %d bytes in %d ms (%.0f MB/s); probe set+get %d pairs, p50 %d us, "
                            + "p99 %d us, p99.9 %d us, max %d us%n", MESSAGES, BODY, drainNanos / 1_000_000,
                    (double) MESSAGES * BODY / (drainNanos / 1e9) / 1e6, sorted.length, p50, p99, p999,
                    sorted[sorted.length - 1] / 1000);
            assertTrue(sorted.length >= 100, "too few probes to mean anything: " + sorted.length);
            assertTrue(p99 < 10_000, "probe p99 " + p99 + " us while draining");
        }
    }

    private static void fill(LibertyServer server) throws Exception {
        try (MemcacheClient producer = server.client()) {
            for (int i = 0; i < MESSAGES; i += PIPELINE) {
                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                for (int j = i; j < i + PIPELINE; j++) {
                    batch.writeBytes(("set drain-backlog 0 0 " + BODY + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    batch.writeBytes(body(j));
                    batch.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                producer.send(batch.toByteArray());
                for (int j = 0; j < PIPELINE; j++) {
                    assertEquals("STORED", producer.line());
                }
            }
        }
    }

    /** Pops every message in order and checks each body; returns the time it took. */
    private static long drain(LibertyServer server) {
        long begin = System.nanoTime();
        try (MemcacheClient consumer = server.client()) {
            for (int i = 0; i < MESSAGES; i++) {
                MemcacheClient.Item item = consumer.get("drain-backlog");
                assertTrue(item != null && Arrays.equals(body(i), item.body()), "message " + i + " out of order or damaged");
            }
            assertNull(consumer.get("drain-backlog"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return System.nanoTime() - begin;
    }

    private static byte[] body(int seq) {
        ByteBuffer body = ByteBuffer.allocate(BODY);
        while (body.remaining() >= 4) {
            body.putInt(seq);
        }
        return body.array();
    }
}
