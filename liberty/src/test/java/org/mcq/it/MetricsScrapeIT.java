package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * /metrics with 10,000 queues: the deepest 1,000 (the shipped mcq.metrics.queue.series) have series
 * of their own, deeper ones first; scraping stays cheap (the time, size and a memcache client's
 * latency meanwhile are printed, not asserted: figures, not a timed test); the series go when the
 * queues do.
 */
class MetricsScrapeIT {

    private static final int QUEUES = 10_000;
    /** Scrapes timed; with the client beside them, over several of the 2-second refreshes. */
    private static final int SCRAPES = 100;
    private static final int SERIES = 1_000;
    private static final Pattern MESSAGES = Pattern.compile("^mcq_queue_messages\\{mp_scope=\"application\",queue=\"[^\"]+\",} ",
            Pattern.MULTILINE);

    @Test
    void tenThousandQueuesAreScrapedWithTheirSeriesAndLoseThemWhenDropped() throws Exception {
        try (LibertyServer server = LibertyServer.start("metrics-scrape", Map.of());
             MemcacheClient memcache = server.client();
             MemcacheClient probe = server.client()) {
            AdminHttp scraper = AdminHttp.of(server, null, null);
            long rssBefore = server.rssMiB();
            ByteArrayOutputStream sets = new ByteArrayOutputStream();
            for (int i = 0; i < QUEUES; i++) {
                sets.writeBytes(String.format("set q-%05d 0 0 1\r\nx\r\n", i).getBytes(StandardCharsets.US_ASCII));
            }
            memcache.send(sets.toByteArray());
            for (int i = 0; i < QUEUES; i++) {
                assertEquals("STORED", memcache.line());
            }
            for (int i = 0; i < 3; i++) {
                assertEquals("STORED", memcache.set("q-deep", "x"));
            }
            // series are added every 2 s, off the clients' path: poll until they all are
            long registering = System.nanoTime();
            String deepest = "mcq_queue_messages{mp_scope=\"application\",queue=\"q-deep\",} 3.0";
            String shown = awaitMetrics(scraper, text -> count(MESSAGES.matcher(text)) == SERIES && text.contains(deepest));
            System.out.printf("series of %,d queues registered within %d ms%n", SERIES, (System.nanoTime() - registering) / 1_000_000);
            assertTrue(shown.contains("mcq_queue_messages{mp_scope=\"application\",queue=\"q-00000\",} 1.0"), "ties by name");
            assertFalse(shown.contains("queue=\"q-09999\""), "beyond the deepest 1,000");
            assertTrue(shown.contains("mcq_queues{mp_scope=\"application\",} 10001.0"), "the totals cover all");

            long[] alone = new long[500]; // the client's latency without scrapes, for comparison
            for (int i = 0; i < alone.length; i++) {
                long began = System.nanoTime();
                probe.set("probe", "p");
                probe.get("probe");
                alone[i] = System.nanoTime() - began;
            }
            Arrays.sort(alone);
            AtomicBoolean scraping = new AtomicBoolean(true);
            List<Long> pairs = new ArrayList<>();
            Thread client = new Thread(() -> {
                try {
                    while (scraping.get()) {
                        long began = System.nanoTime();
                        probe.set("probe", "p");
                        probe.get("probe");
                        pairs.add(System.nanoTime() - began);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            client.start();
            long[] millis = new long[SCRAPES];
            String text = "";
            for (int i = 0; i < SCRAPES; i++) {
                long began = System.nanoTime();
                HttpResponse<String> response = scraper.get("/metrics");
                millis[i] = (System.nanoTime() - began) / 1_000_000;
                assertEquals(200, response.statusCode());
                text = response.body();
            }
            scraping.set(false);
            client.join();
            int series = count(MESSAGES.matcher(text));
            long lines = text.lines().filter(line -> !line.startsWith("#")).count();
            Arrays.sort(millis);
            long[] latencies = pairs.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("metrics scrape with %,d queues, %,d with series: %d ms median, %d ms max of %d; %,d bytes, %,d series;"
                            + " RSS %d -> %d MiB; a client's set+get beside back-to-back scrapes: %,d pairs, p50 %.2f ms,"
                            + " p99 %.2f ms, max %.2f ms (without scrapes: p50 %.2f ms, p99 %.2f ms)%n",
                    QUEUES, SERIES, millis[SCRAPES / 2], millis[SCRAPES - 1], SCRAPES, text.length(), lines, rssBefore,
                    server.rssMiB(), latencies.length, percentile(latencies, 0.5), percentile(latencies, 0.99),
                    latencies[latencies.length - 1] / 1e6, percentile(alone, 0.5), percentile(alone, 0.99));
            assertEquals(SERIES, series);

            assertEquals("OK", memcache.call("flush_all"));
            String after = awaitMetrics(scraper, scraped -> !scraped.contains("queue=\"q-"));
            assertTrue(after.contains("mcq_queues{mp_scope=\"application\",} 0.0"), "dropped queues take their series with them");
        }
    }

    private static String awaitMetrics(AdminHttp http, Predicate<String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            text = http.get("/metrics").body();
            if (expected.test(text)) {
                return text;
            }
            Thread.sleep(250); // between polls of an observable condition
        }
        throw new AssertionError("metrics never showed what was expected; queue series: " + count(MESSAGES.matcher(text)));
    }

    private static int count(Matcher matcher) {
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    private static double percentile(long[] sortedNanos, double quantile) {
        return sortedNanos[Math.min(sortedNanos.length - 1, (int) (sortedNanos.length * quantile))] / 1e6;
    }
}
