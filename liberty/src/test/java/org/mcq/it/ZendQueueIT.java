package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Zend Framework 1's Zend_Queue_Adapter_Memcacheq, replayed on the wire: it lists queues with
 * {@code stats queue}, taking each line minus {@code STAT } as a name, and when it does not find
 * its queue it "creates" it by storing {@code creating queue} and popping one message, which on a
 * non-empty queue is a real one. With {@code mcq.stats.queue.format=0.1} it finds its queue.
 */
@ExtendWith(SharedServer.class)
class ZendQueueIT {

    /** The adapter's getQueues(): a raw {@code stats queue}, each line minus "STAT ". */
    private static List<String> adapterQueueNames(MemcacheClient c) throws IOException {
        c.send("stats queue\r\n");
        List<String> names = new ArrayList<>();
        String line;
        while (!(line = c.line()).equals("END")) {
            names.add(line.replace("STAT ", ""));
        }
        return names;
    }

    /** The adapter's constructor on a queue: create it if getQueues() does not list it. Returns what was popped. */
    private static String buildZendQueue(MemcacheClient c, String queue) throws IOException {
        if (adapterQueueNames(c).contains(queue)) {
            return null;
        }
        c.send("set " + queue + " 0 15 14\r\ncreating queue\r\n");
        assertEquals("STORED", c.line());
        return c.getText(queue);
    }

    private static void replay(LibertyServer server, boolean expectFound) throws Exception {
        String queue = "zend-jobs-" + expectFound;
        try (MemcacheClient c = server.client()) {
            assertEquals("STORED", c.set(queue, "real job"));
            String popped = buildZendQueue(c, queue);
            if (expectFound) {
                assertEquals(null, popped, "the adapter found its queue and popped nothing");
                assertEquals("real job", c.getText(queue));
            } else {
                assertEquals("real job", popped, "as against MemcacheQ 0.2: the real job is taken by the adapter");
                assertEquals("creating queue", c.getText(queue));
            }
            assertEquals("DELETED", c.call("delete " + queue));
            c.send("quit\r\n");
            assertTrue(c.closedByServer(10_000));
        }
    }

    @Test
    void inTheDefault02FormatTheAdapterCannotSeeItsQueue() throws Exception {
        replay(SharedServer.server(), false);
    }

    @Test
    void inThe01FormatTheAdapterFindsItsQueueAndLosesNothing() throws Exception {
        try (LibertyServer server = LibertyServer.start("zend", Map.of("MCQ_STATS_QUEUE_FORMAT", "0.1"))) {
            replay(server, true);
            try (MemcacheClient c = server.client()) {
                c.set("zend-listed", "x");
                List<String> names = adapterQueueNames(c);
                assertTrue(names.contains("zend-listed"), names.toString());
                assertFalse(names.stream().anyMatch(name -> name.contains("/")), names.toString());
            }
        }
    }
}
