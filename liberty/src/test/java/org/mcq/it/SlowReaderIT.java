package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that pipelines commands but does not read the replies: the server stops reading its
 * commands once its unread output passes a bound, instead of buffering every reply, and resumes
 * when the client reads; every reply arrives, in order.
 */
@ExtendWith(SharedServer.class)
class SlowReaderIT {

    private static final int COMMANDS = 30_000; // about 25 MB of stats replies, far past the 4 MiB bound

    @Test
    void unreadRepliesStopTheReadingOfCommandsUntilTheClientReads() throws Exception {
        LibertyServer server = SharedServer.server();
        long stallsBefore;
        try (MemcacheClient observer = server.client()) {
            stallsBefore = Long.parseLong(observer.stats(null).get("output_stalls"));
        }
        try (MemcacheClient slow = server.client(); MemcacheClient observer = server.client()) {
            slow.send("stats\r\n".repeat(COMMANDS) + "version\r\n");
            assertTrue(Eventually.holds(Duration.ofSeconds(30),
                    () -> Long.parseLong(observer.stats(null).get("output_stalls")) > stallsBefore),
                    "the server never paused the slow reader");
            for (int i = 0; i < COMMANDS; i++) {
                String line = slow.line();
                assertTrue(line.startsWith("STAT pid "), "reply " + i + " starts with " + line);
                while (!(line = slow.line()).equals("END")) {
                    assertTrue(line.startsWith("STAT "), line);
                }
            }
            assertTrue(slow.line().startsWith("VERSION "), "the last reply, in order");
        }
    }
}
