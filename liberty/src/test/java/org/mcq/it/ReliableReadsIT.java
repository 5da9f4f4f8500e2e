package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kestrel's reliable and blocking reads over the wire, on a server in default configuration (sync
 * mode): {@code open}, {@code close}, {@code abort}, {@code peek} and {@code t=} on {@code get}.
 */
@ExtendWith(SharedServer.class)
class ReliableReadsIT {

    private static MemcacheClient client() throws Exception {
        return SharedServer.server().client();
    }

    private static void fill(MemcacheClient c, String queue, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            assertEquals("STORED", c.set(queue, "m" + i));
        }
    }

    private static long stat(String name) throws Exception {
        try (MemcacheClient c = client()) {
            return Long.parseLong(c.stats(null).get(name));
        }
    }

    @Test
    void openPeekCloseAndAbortEchoTheKeyAsSent() throws Exception {
        try (MemcacheClient c = client()) {
            fill(c, "rr-basic", 3);
            MemcacheClient.Item opened = c.get("rr-basic/open");
            assertEquals("rr-basic/open", opened.key(), "VALUE echoes the key with its options");
            assertEquals("m0", opened.text());
            assertEquals("m1", c.getText("rr-basic/peek"));
            MemcacheClient.Item next = c.get("rr-basic/close/open");
            assertEquals("rr-basic/close/open", next.key());
            assertEquals("m1", next.text());
            assertNull(c.get("rr-basic/abort"), "abort answers END");
            assertEquals("m1", c.getText("rr-basic"), "the aborted read is the head again");
            assertNull(c.get("rr-basic/close"), "nothing open: END all the same");
            assertEquals("m2", c.getText("rr-basic/t=1000"), "a message there is taken at once");
            assertNull(c.get("rr-basic"));
            assertEquals("3/3", c.stats("queue").get("rr-basic"));
        }
    }

    @Test
    void aClosedConnectionGivesItsOpenReadsBackInTheirOrder() throws Exception {
        try (MemcacheClient c = client()) {
            fill(c, "rr-gone", 4);
            try (MemcacheClient worker = client()) {
                assertEquals("m0", worker.getText("rr-gone/open"));
                assertEquals("m1", worker.getText("rr-gone/open"));
                assertEquals("m2", worker.getText("rr-gone/close/open"));
            } // m1 and m2 open when the worker goes
            assertTrue(Eventually.holds(Duration.ofSeconds(10), () -> stat("open_reads") == 0));
            assertEquals("m1", c.getText("rr-gone"));
            assertEquals("m2", c.getText("rr-gone"));
            assertEquals("m3", c.getText("rr-gone"));
            assertNull(c.get("rr-gone"));
        }
    }

    @Test
    void badOptionsAreClientErrorsAndTheConnectionStaysInStep() throws Exception {
        try (MemcacheClient c = client()) {
            assertEquals("CLIENT_ERROR bad command line format", c.call("get rr-bad/t=soon"));
            assertEquals("CLIENT_ERROR bad command line format", c.call("get rr-bad/peek/open"));
            assertEquals("CLIENT_ERROR bad command line format", c.call("get rr-bad/abort/close"));
            assertEquals("STORED", c.set("rr-bad/open", "the key of a set is a name, never options"));
            assertNull(c.get("rr-bad"), "stored in the queue named rr-bad/open");
            assertEquals("1/0", c.stats("queue").get("rr-bad/open"));
            assertTrue(c.call("version").startsWith("VERSION "));
        }
    }

    @Test
    void aConnectionHoldsAtMostItsAllowanceOfOpenReads() throws Exception {
        try (MemcacheClient c = client()) {
            fill(c, "rr-many", 101);
            for (int i = 0; i < 100; i++) {
                assertEquals("m" + i, c.getText("rr-many/open"));
            }
            assertEquals("CLIENT_ERROR too many open reads", c.call("get rr-many/open"));
            assertEquals("m100", c.getText("rr-many/close/open"), "a close makes room in the same command");
            assertNull(c.get("rr-many/peek"), "everything is open");
        }
    }

    @Test
    void aWaitingReadIsServedByASetFromAnotherConnection() throws Exception {
        try (MemcacheClient waiter = client(); MemcacheClient producer = client()) {
            long before = stat("waiters");
            waiter.send("get rr-wait/t=20000\r\n");
            assertTrue(Eventually.holds(Duration.ofSeconds(10), () -> stat("waiters") == before + 1));
            assertEquals("STORED", producer.set("rr-wait", "hello"));
            List<MemcacheClient.Item> items = waiter.values();
            assertEquals(1, items.size());
            assertEquals("rr-wait/t=20000", items.get(0).key());
            assertEquals("hello", items.get(0).text());
        }
    }

    /**
     * A worker that gives up on its blocking get and closes: the server sees only the end of its
     * input (a half-close looks the same), ends the wait there, and the next message waits for the
     * next reader instead of being taken for a socket that is gone.
     */
    @Test
    void aClientThatClosesWhileItsReadWaitsTakesNoMessage() throws Exception {
        long before = stat("waiters");
        MemcacheClient waiter = client();
        waiter.send("get rr-gone/t=60000\r\n");
        assertTrue(Eventually.holds(Duration.ofSeconds(10), () -> stat("waiters") == before + 1));
        waiter.close();
        assertTrue(Eventually.holds(Duration.ofSeconds(10), () -> stat("waiters") == before),
                "the wait ended with the client's input, not at its 60 s");
        try (MemcacheClient c = client()) {
            assertEquals("STORED", c.set("rr-gone", "kept"));
            assertEquals("kept", c.getText("rr-gone"), "the message waited for a reader that is there");
        }
    }

    @Test
    void aWaitEndsWithEndAndPipelinedCommandsWaitTheirTurn() throws Exception {
        try (MemcacheClient c = client()) {
            long begin = System.nanoTime();
            // the set behind the waiting get may not run before it: the get times out empty
            c.send("get rr-turn/t=300\r\nset rr-turn 0 0 1\r\nz\r\n");
            assertEquals("END", c.line());
            assertTrue(System.nanoTime() - begin >= 300_000_000L, "ended before its time");
            assertEquals("STORED", c.line());
            assertEquals("z", c.getText("rr-turn"));
        }
    }

    @Test
    void aThousandWaitersHoldNoThreadAndAllWake() throws Exception {
        LibertyServer server = SharedServer.server();
        int waiters = 1000;
        List<MemcacheClient> clients = new ArrayList<>();
        try {
            long threadsBefore = server.threads();
            long waitingBefore = stat("waiters");
            for (int i = 0; i < waiters; i++) {
                MemcacheClient c = client();
                clients.add(c);
                c.send("get rr-crowd/open/t=60000\r\n");
            }
            assertTrue(Eventually.holds(Duration.ofSeconds(30), () -> stat("waiters") == waitingBefore + waiters));
            long threadsWaiting = server.threads();
            assertTrue(threadsWaiting - threadsBefore < 50,
                    "threads went from " + threadsBefore + " to " + threadsWaiting + " for " + waiters + " waiters");
            try (MemcacheClient producer = client()) {
                fill(producer, "rr-crowd", waiters);
            }
            Set<String> received = new HashSet<>();
            for (MemcacheClient c : clients) {
                List<MemcacheClient.Item> items = c.values();
                assertEquals(1, items.size());
                received.add(items.get(0).text());
                assertNull(c.get("rr-crowd/close"));
            }
            assertEquals(waiters, received.size(), "each message went to exactly one waiter");
            System.out.printf("WAITERS %d: server threads %d before, %d while waiting%n", waiters, threadsBefore,
                    threadsWaiting);
        } finally {
            for (MemcacheClient c : clients) {
                c.close();
            }
        }
        try (MemcacheClient c = client()) {
            assertNull(c.get("rr-crowd"), "every message confirmed");
        }
    }
}
