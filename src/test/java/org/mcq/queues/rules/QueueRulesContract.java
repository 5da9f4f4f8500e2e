package org.mcq.queues.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mcq.model.Wire.call;
import static org.mcq.model.Wire.lines;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mcq.model.Link;
import org.mcq.model.Target;

/**
 * The rules both stores apply, asked of each the same way over the memcache commands: limits and
 * what a full queue does, expiry and maximum age, and how each counts what left a queue without a
 * read (expired, discarded: consumed, so {@code stored - consumed} is what waits, as README says).
 * One subclass per store; the model tests leave limits and time out, these put them in.
 */
public abstract class QueueRulesContract {

    /** The timed cases' maximum age: long enough for a set and a read, short enough to wait out. */
    private static final long MAX_AGE_MILLIS = 200;

    /** One server of the store, its queues holding {@code limits}, exptimes honoured if {@code expiry}. */
    protected abstract Target start(Function<String, QueueLimits> limits, boolean expiry) throws Exception;

    private Target start(QueueLimits limits, boolean expiry) throws Exception {
        return start(name -> name.equals("q") ? limits : QueueLimits.NONE, expiry);
    }

    private static void setAll(Link link, String... bodies) throws Exception {
        for (String body : bodies) {
            assertEquals("STORED", call(link, "set q 0 0 " + body.length() + "\r\n" + body));
        }
    }

    private static void assertCounted(Link link, String storedSlashConsumed) throws Exception {
        List<String> stats = lines(link, "stats queue");
        assertTrue(stats.contains("STAT q " + storedSlashConsumed), stats::toString);
    }

    /** {@code dump_stats q} shows each of {@code figures} ("name=value"). */
    private static void assertDumped(Link link, String... figures) throws Exception {
        List<String> dump = lines(link, "dump_stats q");
        for (String figure : figures) {
            assertTrue(dump.contains("  " + figure), () -> figure + " in " + dump);
        }
    }

    private static void assertNext(Link link, String body) throws Exception {
        assertEquals(List.of("VALUE q 0 " + body.length(), body), lines(link, "get q"));
    }

    @Test
    void aFullQueueThatRejectsRefusesTheSetAndStoresNothingOfIt() throws Exception {
        try (Target store = start(new QueueLimits(2, 0, 0, false), false); Link link = store.connect(0)) {
            setAll(link, "a", "b");
            assertEquals("SERVER_ERROR queue full", call(link, "set q 0 0 1\r\nc"));
            assertNext(link, "a");
            assertCounted(link, "2/1");
            setAll(link, "c");
        }
    }

    @Test
    void aFullQueueThatDropsTheOldestStoresTheSetAndCountsTheDroppedAsConsumed() throws Exception {
        try (Target store = start(new QueueLimits(3, 0, 0, true), false); Link link = store.connect(0)) {
            setAll(link, "a", "b", "c", "d", "e");
            assertCounted(link, "5/2");
            assertNext(link, "c");
            assertCounted(link, "5/3");
            assertDumped(link, "items=2", "discarded=2", "expired_items=0", "total_items=5");
        }
    }

    @Test
    void producersAtOnceNeverFindADropOldestQueueFull() throws Exception {
        try (Target store = start(new QueueLimits(2, 0, 0, true), false)) {
            int producers = 4;
            int sets = 50;
            ExecutorService threads = Executors.newFixedThreadPool(producers);
            try {
                List<Future<List<String>>> replies = new ArrayList<>();
                for (int p = 0; p < producers; p++) {
                    replies.add(threads.submit(() -> {
                        List<String> refused = new ArrayList<>();
                        try (Link link = store.connect(0)) {
                            for (int i = 0; i < sets; i++) {
                                String reply = call(link, "set q 0 0 1\r\nx");
                                if (!reply.equals("STORED")) {
                                    refused.add(reply);
                                }
                            }
                        }
                        return refused;
                    }));
                }
                for (Future<List<String>> producer : replies) {
                    assertEquals(List.of(), producer.get(), "every set stored, the oldest dropped for it");
                }
            } finally {
                threads.shutdownNow();
            }
            try (Link link = store.connect(0)) {
                assertCounted(link, producers * sets + "/" + (producers * sets - 2));
                assertDumped(link, "items=2");
            }
            store.restart(0);
            try (Link link = store.connect(0)) {
                assertDumped(link, "items=2"); // what was dropped is gone from disk too
            }
        }
    }

    @Test
    void aQueueBoundedInBytesDropsAsManyOfTheOldestAsTheNewOneNeeds() throws Exception {
        try (Target store = start(new QueueLimits(0, 6, 0, true), false); Link link = store.connect(0)) {
            setAll(link, "aa", "bb", "cc");
            setAll(link, "dddd");
            assertEquals("SERVER_ERROR queue full", call(link, "set q 0 0 7\r\nlongest"), "larger than the limit itself");
            assertNext(link, "cc"); // and nothing was dropped for it
            assertNext(link, "dddd");
            assertCounted(link, "4/4");
        }
    }

    @Test
    void readsOpenDoNotCountAgainstTheLimit() throws Exception {
        try (Target store = start(new QueueLimits(2, 0, 0, false), false); Link link = store.connect(0)) {
            setAll(link, "a", "b");
            assertEquals(List.of("VALUE q/open 0 1", "a"), lines(link, "get q/open"));
            setAll(link, "c");
            assertEquals("SERVER_ERROR queue full", call(link, "set q 0 0 1\r\nd"));
        }
    }

    @Test
    void aMessagePastItsExptimeIsNeverDeliveredAndCountsAsConsumed() throws Exception {
        try (Target store = start(QueueLimits.NONE, true); Link link = store.connect(0)) {
            assertEquals("STORED", call(link, "set q 0 -1 3\r\nold"));
            assertEquals("STORED", call(link, "set q 0 0 3\r\nnew"));
            assertNext(link, "new");
            assertCounted(link, "2/2");
            assertDumped(link, "items=0", "expired_items=1", "discarded=0", "total_items=2");
        }
    }

    @Test
    void flushExpiredRemovesWhatIsPastItsTimeAndCountsIt() throws Exception {
        try (Target store = start(QueueLimits.NONE, true); Link link = store.connect(0)) {
            assertEquals("STORED", call(link, "set q 0 -1 3\r\nold"));
            assertEquals("STORED", call(link, "set q 0 0 3\r\nnew"));
            assertEquals("1", call(link, "flush_expired q"));
            assertCounted(link, "2/1");
            assertDumped(link, "items=1", "expired_items=1");
            assertNext(link, "new");
        }
    }

    @Test
    void withExpiryOffAnExptimeIsIgnoredAsMemcacheQDid() throws Exception {
        try (Target store = start(QueueLimits.NONE, false); Link link = store.connect(0)) {
            assertEquals("STORED", call(link, "set q 0 -1 3\r\nold"));
            assertEquals("0", call(link, "flush_expired q"));
            assertNext(link, "old");
        }
    }

    @Test
    void aMessageOlderThanTheMaximumAgeIsNeverDeliveredAndCountsAsConsumed() throws Exception {
        try (Target store = start(new QueueLimits(0, 0, MAX_AGE_MILLIS, false), false); Link link = store.connect(0)) {
            setAll(link, "old");
            waitOut(System.nanoTime()); // stored before this
            setAll(link, "new");
            assertNext(link, "new");
            assertCounted(link, "2/2");
        }
    }

    @Test
    void flushExpiredRemovesWhatIsOlderThanTheMaximumAge() throws Exception {
        try (Target store = start(new QueueLimits(0, 0, MAX_AGE_MILLIS, false), false); Link link = store.connect(0)) {
            setAll(link, "old");
            waitOut(System.nanoTime()); // stored before this
            setAll(link, "new");
            assertEquals("1", call(link, "flush_expired q"));
            assertCounted(link, "2/1");
            assertNext(link, "new");
        }
    }

    /** Until a message stored before {@code after} is past the maximum age: the time itself is under test. */
    private static void waitOut(long after) throws InterruptedException {
        long left;
        while ((left = after + (MAX_AGE_MILLIS + 5) * 1_000_000 - System.nanoTime()) > 0) {
            Thread.sleep(left / 1_000_000 + 1);
        }
    }
}
