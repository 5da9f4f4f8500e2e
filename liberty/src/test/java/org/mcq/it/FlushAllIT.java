package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** flush_all empties every queue, as in Kestrel (MemcacheQ: ERROR, and PHP's flush() failed the server). */
@ExtendWith(SharedServer.class)
class FlushAllIT {

    @Test
    void flushAllEmptiesEveryQueue() throws Exception {
        try (MemcacheClient c = SharedServer.server().client()) {
            c.set("flush-a", "1");
            c.set("flush-b", "2");
            assertEquals("OK", c.call("flush_all"));
            assertNull(c.get("flush-a"));
            assertNull(c.get("flush-b"));
            assertEquals(0, c.stats("queue").size());
            c.set("flush-a", "after");
            assertEquals("OK", c.call("flush_all 0"));
            assertNull(c.get("flush-a"));
        }
    }
}
