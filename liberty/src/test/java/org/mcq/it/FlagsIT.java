package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Flags are 32-bit unsigned and come back as sent (MemcacheQ turned 4294967295 into -1). */
@ExtendWith(SharedServer.class)
class FlagsIT {

    @Test
    void flagsComeBackAsSent() throws Exception {
        try (MemcacheClient c = SharedServer.server().client()) {
            for (long flags : new long[] {0, 1, 2, 256, 2147483648L, 4294967295L}) {
                assertEquals("STORED", c.set("flags-q", flags, "x".getBytes()));
                assertEquals(flags, c.get("flags-q").flags());
            }
        }
    }

    @Test
    void flagsOutOfRangeOrNotANumberAreRefused() throws Exception {
        try (MemcacheClient c = SharedServer.server().client()) {
            for (String flags : new String[] {"4294967296", "-1", "abc", "1.5"}) {
                c.send("set flags-bad 0 0 1\r\n".replace(" 0 0 ", " " + flags + " 0 ") + "x\r\n");
                assertEquals("CLIENT_ERROR bad command line format", c.line(), flags);
            }
            assertNull(c.get("flags-bad"));
        }
    }
}
