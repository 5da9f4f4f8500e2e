package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** stats queue lists every queue, however many (MemcacheQ cut the reply at 2048 bytes). */
@ExtendWith(SharedServer.class)
class StatsQueueIT {

    @Test
    void everyQueueIsListed() throws Exception {
        try (MemcacheClient c = SharedServer.server().client()) {
            for (int i = 0; i < 300; i++) {
                c.set("stats-queue-with-a-long-name-" + i, "x");
            }
            Map<String, String> queues = c.stats("queue");
            for (int i = 0; i < 300; i++) {
                assertEquals("1/0", queues.get("stats-queue-with-a-long-name-" + i), "queue " + i);
                c.call("delete stats-queue-with-a-long-name-" + i);
            }
        }
    }
}
