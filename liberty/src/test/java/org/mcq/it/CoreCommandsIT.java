package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** set appends, get pops: the core of MemcacheQ's protocol, black-box over TCP. */
@ExtendWith(SharedServer.class)
class CoreCommandsIT {

    private MemcacheClient client() throws Exception {
        return SharedServer.server().client();
    }

    @Test
    void messagesComeOutInTheOrderTheyWentIn() throws Exception {
        try (MemcacheClient c = client()) {
            for (int i = 1; i <= 20; i++) {
                assertEquals("STORED", c.set("core-fifo", "message-" + i));
            }
            for (int i = 1; i <= 20; i++) {
                assertEquals("message-" + i, c.getText("core-fifo"));
            }
            assertNull(c.get("core-fifo"));
        }
    }

    @Test
    void anUnknownQueueReadsEmptyAndIsNotCreated() throws Exception {
        try (MemcacheClient c = client()) {
            assertNull(c.get("core-never-set"));
            assertFalse(c.stats("queue").containsKey("core-never-set"));
        }
    }

    @Test
    void multiGetPopsOneMessagePerKeyOccurrenceInKeyOrder() throws Exception {
        try (MemcacheClient c = client()) {
            c.set("core-ma", "a1");
            c.set("core-ma", "a2");
            c.set("core-mb", "b1");
            List<MemcacheClient.Item> items = c.retrieve("get core-ma core-mb core-ma core-mb core-mc");
            assertEquals(List.of("core-ma:a1", "core-mb:b1", "core-ma:a2"),
                    items.stream().map(item -> item.key() + ":" + item.text()).toList());
        }
    }

    @Test
    void deleteDropsTheWholeQueue() throws Exception {
        try (MemcacheClient c = client()) {
            c.set("core-del", "x");
            c.set("core-del", "y");
            assertEquals("DELETED", c.call("delete core-del"));
            assertNull(c.get("core-del"));
            assertEquals("NOT_FOUND", c.call("delete core-del"));
            c.set("core-del", "z");
            assertEquals("DELETED", c.call("delete core-del 0"));
            assertFalse(c.stats("queue").containsKey("core-del"));
        }
    }

    @Test
    void statsQueueCountsStoredAndConsumed() throws Exception {
        try (MemcacheClient c = client()) {
            c.set("core-count", "1");
            c.set("core-count", "2");
            assertEquals("2/0", c.stats("queue").get("core-count"));
            c.get("core-count");
            assertEquals("2/1", c.stats("queue").get("core-count"));
        }
    }

    @Test
    void flagsAndBinaryBodiesRoundTrip() throws Exception {
        byte[] body = {0, '\r', '\n', (byte) 0xff, 'E', 'N', 'D', '\r', '\n', 0};
        try (MemcacheClient c = client()) {
            assertEquals("STORED", c.set("core-bin", 4294967295L, body));
            MemcacheClient.Item item = c.get("core-bin");
            assertEquals(4294967295L, item.flags());
            assertArrayEquals(body, item.body());
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        try (MemcacheClient c = client()) {
            c.send("set core-pipe 0 0 5\r\nhello\r\nset core-pipe 3 0 5\r\nworld\r\nget core-pipe\r\nbogus\r\nget core-pipe\r\nversion\r\n");
            assertEquals("STORED", c.line());
            assertEquals("STORED", c.line());
            assertEquals("hello", c.values().get(0).text());
            assertEquals("ERROR", c.line());
            MemcacheClient.Item second = c.values().get(0);
            assertEquals("world", second.text());
            assertEquals(3, second.flags());
            assertTrue(c.line().startsWith("VERSION "));
        }
    }

    @Test
    void versionHasAMajorOfAtLeastOne() throws Exception {
        try (MemcacheClient c = client()) {
            String version = c.call("version");
            assertTrue(version.matches("VERSION [1-9][0-9]*\\.[0-9]+\\.[0-9]+"), version);
        }
    }

    @Test
    void unknownCommandsAreErrorsAndTheConnectionStaysUsable() throws Exception {
        try (MemcacheClient c = client()) {
            assertEquals("ERROR", c.call("frobnicate q"));
            assertEquals("ERROR", c.call("GET q"));
            assertEquals("ERROR", c.call(""));
            assertEquals("STORED", c.set("core-after-error", "ok"));
            assertEquals("ok", c.getText("core-after-error"));
        }
    }

    @Test
    void quitClosesAndNothingAfterItRuns() throws Exception {
        try (MemcacheClient c = client()) {
            c.send("quit\r\nset core-quit 0 0 1\r\nx\r\n");
            assertTrue(c.closedByServer(10_000));
        }
        try (MemcacheClient c = client()) {
            assertNull(c.get("core-quit"));
        }
    }

    @Test
    void generalStatsHaveMemcacheQsFieldsInItsOrder() throws Exception {
        try (MemcacheClient c = client()) {
            Map<String, String> stats = c.stats(null);
            List<String> expected = List.of("pid", "uptime", "time", "version", "pointer_size", "rusage_user",
                    "rusage_system", "curr_connections", "total_connections", "connection_structures", "get_cmds",
                    "get_hits", "set_cmds", "set_hits", "bytes_read", "bytes_written", "threads");
            assertEquals(expected, List.copyOf(stats.keySet()).subList(0, expected.size()));
            assertTrue(Long.parseLong(stats.get("curr_connections")) >= 1);
            assertEquals("RESET", c.call("stats reset"));
            assertEquals("0", c.stats(null).get("set_cmds"));
        }
    }

    @Test
    void maintenanceCommandsAnswerOk() throws Exception {
        try (MemcacheClient c = client()) {
            c.set("core-maint", "kept");
            assertEquals("OK", c.call("db_checkpoint"));
            assertEquals("OK", c.call("db_archive"));
            assertEquals("OK", c.call("verbosity 1"));
            assertEquals("kept", c.getText("core-maint"));
        }
    }
}
