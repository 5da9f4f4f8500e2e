package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * /metrics with 10,000 queues: the deepest 1,000 (the shipped mcq.metrics.queue.series) have series
 * of their own, deeper ones first; scraping stays cheap: a memcache client beside back-to-back
 * scrapes is served throughout (every reply checked, at least one set+get pair per scrape, none kept
 * waiting 5 s; a failure in it fails the test), while the times, sizes and its latencies are printed,
 * not asserted (figures, not a timed test); the series go when the queues do.
 */
class MetricsScrapeIT {

    private static final int QUEUES = 10_000;
    /** Scrapes timed; with the client beside them, over several of the 2-second refreshes. */
    private static final int SCRAPES = 100;
    private static final int SERIES = 1_000;
    /** Longer than any pause a scrape may cause on a slow machine; a client starved by scrapes waits longer. */
    private static final long MAX_PAIR_NANOS = TimeUnit.SECONDS.toNanos(5);
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
                alone[i] = pair(probe);
            }
            Arrays.sort(alone);
            AtomicBoolean scraping = new AtomicBoolean(true);
            CountDownLatch probing = new CountDownLatch(1);
            ExecutorService beside = Executors.newSingleThreadExecutor();
            Future<long[]> probed = beside.submit(() -> {
                List<Long> pairs = new ArrayList<>();
                try {
                    pairs.add(pair(probe));
                } finally {
                    probing.countDown(); // the scrapes start once the client runs, or once it failed
                }
                while (scraping.get()) {
                    pairs.add(pair(probe));
                }
                return pairs.stream().mapToLong(Long::longValue).sorted().toArray();
            });
            long[] millis = new long[SCRAPES];
            String text = "";
            try {
                assertTrue(probing.await(30, TimeUnit.SECONDS), "the client beside the scrapes never got going");
                if (probed.isDone()) {
                    probed.get(); // it failed at its first pair: throws why
                }
                for (int i = 0; i < SCRAPES; i++) {
                    long began = System.nanoTime();
                    HttpResponse<String> response = scraper.get("/metrics");
                    millis[i] = (System.nanoTime() - began) / 1_000_000;
                    assertEquals(200, response.statusCode());
                    text = response.body();
                }
            } finally {
                scraping.set(false);
                beside.shutdown();
            }
            long[] latencies = probed.get(60, TimeUnit.SECONDS); // whatever failed in the client is thrown here
            int series = count(MESSAGES.matcher(text));
            long lines = text.lines().filter(line -> !line.startsWith("#")).count();
            Arrays.sort(millis);
            System.out.printf("metrics scrape with %,d queues, %,d with series: %d ms median, %d ms max of %d; %,d bytes, %,d series;"
                            + " RSS %d -> %d MiB; a client's set+get beside back-to-back scrapes: %,d pairs, p50 %.2f ms,"
                            + " p99 %.2f ms, max %.2f ms (without scrapes: p50 %.2f ms, p99 %.2f ms)%n",
                    QUEUES, SERIES, millis[SCRAPES / 2], millis[SCRAPES - 1], SCRAPES, text.length(), lines, rssBefore,
                    server.rssMiB(), latencies.length, percentile(latencies, 0.5), percentile(latencies, 0.99),
                    latencies[latencies.length - 1] / 1e6, percentile(alone, 0.5), percentile(alone, 0.99));
            assertEquals(SERIES, series);
            // what the client measured: served all along (every reply checked in pair()), never kept waiting
            // for seconds; the figures themselves vary with the machine and are printed above
            assertTrue(latencies.length >= SCRAPES, "the client completed only " + latencies.length
                    + " set+get pairs during " + SCRAPES + " scrapes");
            assertTrue(latencies[latencies.length - 1] < MAX_PAIR_NANOS, "a set+get pair beside the scrapes took "
                    + latencies[latencies.length - 1] / 1e6 + " ms");

            assertEquals("OK", memcache.call("flush_all"));
            String after = awaitMetrics(scraper, scraped -> !scraped.contains("queue=\"q-"));
            assertTrue(after.contains("mcq_queues{mp_scope=\"application\",} 0.0"), "dropped queues take their series with them");
        }
    }

    /** One set and one get of the probe's queue, each reply checked; how long the pair took. */
    private static long pair(MemcacheClient probe) throws IOException {
        long began = System.nanoTime();
        assertEquals("STORED", probe.set("probe", "p"));
        assertEquals("p", probe.getText("probe"));
        return System.nanoTime() - began;
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
