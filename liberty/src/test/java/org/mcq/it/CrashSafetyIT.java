package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills the server with SIGKILL under load from producers and consumers, restarts it, drains it,
 * and counts: in sync mode nothing acknowledged is lost and nothing is delivered twice; in no-sync
 * mode only what was acknowledged (or consumed) in the last two flush intervals. Both on this
 * machine's disk and on a disk 1 ms slower per forced write: disks whose commits keep up with the
 * interval, where the no-sync window ends at the kill. On a disk whose commit stalls, the window
 * is as wide but ends where the stall began (README, Durability; QueueSetTest's stalled commit).
 */
class CrashSafetyIT {

    private static final int PRODUCERS = 4;
    private static final int CONSUMERS = 4;
    private static final long LOAD_MILLIS = 5_000;
    private static final List<String> QUEUES = List.of("crash-a", "crash-b");
    /** A fanout subscriber of crash-a in the sync runs, read only after the restart. */
    private static final String SUBSCRIBER = "crash-a+copy";

    private static CrashLoad runAndKill(LibertyServer server) throws Exception {
        CrashLoad load = new CrashLoad(PRODUCERS, CONSUMERS, QUEUES);
        load.start(server);
        Thread.sleep(LOAD_MILLIS); // the load runs for this long; the kill is what is being tested
        long killedAt = System.currentTimeMillis();
        server.kill();
        load.awaitClients();
        server.startAgain();
        load.drain(server);
        load.killedAt = killedAt;
        return load;
    }

    @ParameterizedTest(name = "forced writes {0} us slower")
    @ValueSource(longs = {0, 1000})
    void syncModeLosesNothingAcknowledgedUnderKill9(long diskDelayMicros) throws Exception {
        try (LibertyServer server = LibertyServer.start("crash-sync", Map.of("MCQ_SYNC", "true", "MCQ_FANOUT", "true",
                LibertyServer.DISK_DELAY_US, Long.toString(diskDelayMicros)))) {
            try (MemcacheClient client = server.client()) {
                // made by a read; its record is written within the counters' second, long before the kill
                assertNull(client.getText(SUBSCRIBER));
            }
            CrashLoad load = runAndKill(server);
            Set<String> lost = load.lost();
            Set<String> duplicates = load.duplicates();
            System.out.printf("DURABILITY sync, disk +%d us: acknowledged=%d received=%d drained=%d lost=%d "
                            + "(allowed: one get in flight per consumer, %d) duplicates=%d%n",
                    diskDelayMicros, load.acknowledged.size(), load.receivedCount(), load.drainedCount(), lost.size(), CONSUMERS,
                    duplicates.size());
            assertTrue(load.acknowledged.size() > 1000, "too little load to mean anything: " + load.acknowledged.size());
            assertTrue(lost.size() <= CONSUMERS, "lost beyond the gets in flight: " + lost);
            assertEquals(Set.of(), duplicates);
            assertEquals(List.of(), load.orderViolations(Set.of()));
            assertCopiesMatch(server, load);
        }
    }

    @ParameterizedTest(name = "forced writes {0} us slower")
    @ValueSource(longs = {0, 1000})
    void noSyncModeLosesOnlyTheLastTwoFlushIntervalsUnderKill9(long diskDelayMicros) throws Exception {
        long interval = 200;
        // the promise is two intervals (README); the margin covers the kill's own timing, a collector
        // pause and the batch being written when the lag limit was reached
        long bound = 2 * interval + 1000;
        try (LibertyServer server = LibertyServer.start("crash-nosync", Map.of("MCQ_SYNC", "false",
                "MCQ_FLUSH_INTERVAL_MS", Long.toString(interval), LibertyServer.DISK_DELAY_US, Long.toString(diskDelayMicros)))) {
            CrashLoad load = runAndKill(server);
            Set<String> lost = load.lost();
            Set<String> duplicates = load.duplicates();
            Map<String, Long> firstReceived = load.firstReceived();
            System.out.printf("DURABILITY nosync (flush every %d ms), disk +%d us: acknowledged=%d received=%d drained=%d "
                            + "lost=%d (oldest %d ms before the kill) duplicates=%d (oldest %d ms)%n", interval, diskDelayMicros,
                    load.acknowledged.size(), load.receivedCount(), load.drainedCount(), lost.size(),
                    lost.stream().mapToLong(m -> load.killedAt - load.acknowledged.get(m)).max().orElse(0),
                    duplicates.size(),
                    duplicates.stream().mapToLong(m -> load.killedAt - firstReceived.get(m)).max().orElse(0));
            assertTrue(load.acknowledged.size() > 1000, "too little load: " + load.acknowledged.size());
            for (String message : lost) {
                long age = load.killedAt - load.acknowledged.get(message);
                assertTrue(age <= bound, message + " was acknowledged " + age + " ms before the kill and lost");
            }
            for (String message : duplicates) {
                long age = load.killedAt - firstReceived.get(message);
                assertTrue(age <= bound, message + " was consumed " + age + " ms before the kill and came back");
            }
            assertEquals(List.of(), load.orderViolations(duplicates));
        }
    }

    /**
     * Fanout, checked in the sync runs (on, with a subscriber of crash-a nobody reads): each copy is
     * committed with its set (one commit for all), so after the kill the subscriber holds exactly what
     * its queue was given: every message acknowledged or delivered there, and of the sets in flight at
     * the kill, only those its queue kept too.
     */
    private static void assertCopiesMatch(LibertyServer server, CrashLoad load) throws Exception {
        List<String> copies = new ArrayList<>();
        try (MemcacheClient client = server.client()) {
            for (String body = client.getText(SUBSCRIBER); body != null; body = client.getText(SUBSCRIBER)) {
                copies.add(body);
            }
        }
        Set<String> copied = new HashSet<>(copies);
        Set<String> given = new HashSet<>();
        load.deliveries().keySet().stream().filter(key -> key.startsWith("crash-a/"))
                .forEach(key -> given.add(key.substring("crash-a/".length())));
        load.acknowledged.keySet().stream().filter(key -> key.startsWith("crash-a/"))
                .forEach(key -> given.add(key.substring("crash-a/".length())));
        Set<String> missing = new HashSet<>(given);
        missing.removeAll(copied);
        Set<String> extra = new HashSet<>(copied);
        extra.removeAll(given);
        System.out.printf("DURABILITY fanout sync: copies=%d given to crash-a=%d missing copies=%d copies beyond=%d%n",
                copies.size(), given.size(), missing.size(), extra.size());
        assertEquals(copies.size(), copied.size(), "no copy twice");
        assertEquals(Set.of(), missing, "every message acknowledged or delivered has its copy");
        assertTrue(extra.size() <= CONSUMERS, "copies beyond the gets in flight at the kill: " + extra);
    }
}
