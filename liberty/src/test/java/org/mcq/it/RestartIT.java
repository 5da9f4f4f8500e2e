package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A restarted server has every queue, message, flag, byte and counter it had. */
class RestartIT {

    @Test
    void aRestartKeepsQueuesOrderFlagsBodiesAndCounters() throws Exception {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        try (LibertyServer server = LibertyServer.start("restart", Map.of())) {
            try (MemcacheClient c = server.client()) {
                for (int i = 0; i < 50; i++) {
                    assertEquals("STORED", c.set("restart-a", i, ("a" + i).getBytes()));
                }
                assertEquals("STORED", c.set("restart-b", 4294967295L, binary));
                for (int i = 0; i < 10; i++) {
                    assertEquals("a" + i, c.getText("restart-a"));
                }
                c.set("restart-empty", "x");
                c.get("restart-empty");
            }
            server.restart();
            try (MemcacheClient c = server.client()) {
                Map<String, String> queues = c.stats("queue");
                assertEquals("50/10", queues.get("restart-a"));
                assertEquals("1/0", queues.get("restart-b"));
                assertEquals("1/1", queues.get("restart-empty"));
                for (int i = 10; i < 50; i++) {
                    MemcacheClient.Item item = c.get("restart-a");
                    assertEquals("a" + i, item.text());
                    assertEquals(i, item.flags());
                }
                assertNull(c.get("restart-a"));
                MemcacheClient.Item item = c.get("restart-b");
                assertEquals(4294967295L, item.flags());
                assertArrayEquals(binary, item.body());
                assertEquals("50/50", c.stats("queue").get("restart-a"));
            }
        }
    }
}
