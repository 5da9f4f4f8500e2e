package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code server stop} (SIGTERM) under load from producers and consumers: the listener stops taking
 * commands, lets the replies under way be written, then the writer writes everything pending. After
 * a restart every acknowledged message is there, nothing comes back that was delivered, and no client
 * was left waiting. In no-sync mode the flush interval is a minute, so at the stop nearly everything
 * acknowledged is still to be written (this was CrashSafetyIT's graceful stop, with 2,000 sets).
 */
class GracefulStopIT {

    private static final long LOAD_MILLIS = 5_000;
    private static final List<String> QUEUES = List.of("stop-a", "stop-b");

    @ParameterizedTest(name = "sync={0}")
    @ValueSource(booleans = {true, false})
    void aStopUnderLoadLosesNothingAcknowledged(boolean sync) throws Exception {
        try (LibertyServer server = LibertyServer.start("graceful-" + (sync ? "sync" : "nosync"),
                Map.of("MCQ_SYNC", Boolean.toString(sync), "MCQ_FLUSH_INTERVAL_MS", sync ? "100" : "60000"))) {
            CrashLoad load = new CrashLoad(4, 4, QUEUES);
            load.start(server);
            Thread.sleep(LOAD_MILLIS); // the load runs for this long; the stop is what is being tested
            long begin = System.nanoTime();
            server.stop();
            long stopMillis = (System.nanoTime() - begin) / 1_000_000;
            // what the stop says before the next start moves the log aside: a stop by SIGTERM resets
            // java.util.logging in a shutdown hook, which dropped these lines unless the adapter prevents it
            String stopLog = server.messagesLog();
            load.awaitClients();
            long waiting = load.clientsAlive();
            server.startAgain();
            load.drain(server);
            Set<String> lost = load.lost();
            Set<String> duplicates = load.duplicates();
            System.out.printf("STOP %s: stopped in %d ms; acknowledged=%d received=%d drained=%d lost=%d "
                            + "duplicates=%d refusals=%s clients left waiting=%d%n", sync ? "sync" : "nosync",
                    stopMillis, load.acknowledged.size(), load.receivedCount(), load.drainedCount(), lost.size(),
                    duplicates.size(), load.refusals, waiting);
            assertTrue(stopLog.contains("mcq queues stopped; everything acknowledged is written"),
                    "the queues' last line is missing from messages.log after the stop");
            assertTrue(stopLog.matches("(?s).*mcq listener on \\S+ stopped.*"),
                    "the listener's stop is missing from messages.log");
            assertTrue(load.acknowledged.size() > 500, "too little load to mean anything: " + load.acknowledged.size());
            assertEquals(0, waiting, "clients still waiting for a reply");
            assertTrue(stopMillis < 55_000, "the stop took " + stopMillis + " ms (killed after 60 s)");
            assertEquals(Set.of(), lost);
            assertEquals(Set.of(), duplicates);
            assertEquals(List.of(), load.orderViolations(Set.of()));
        }
    }
}
