package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A command line is bounded (8 KiB by default): a longer one is refused and the connection closed. */
@ExtendWith(SharedServer.class)
class LineLengthIT {

    @Test
    void anEndlessLineIsRefusedAndClosed() throws Exception {
        try (MemcacheClient c = SharedServer.server().client()) {
            c.send("get " + "x".repeat(20_000));
            assertEquals("CLIENT_ERROR line too long", c.line());
            assertTrue(c.closedByServer(10_000));
        }
    }

    @Test
    void aGetOfManyKeysWithinTheLimitWorks() throws Exception {
        StringBuilder line = new StringBuilder("get");
        for (int i = 0; i < 500; i++) {
            line.append(" many-").append(i);
        }
        try (MemcacheClient c = SharedServer.server().client()) {
            c.set("many-499", "last");
            assertEquals("last", c.retrieve(line.toString()).get(0).text());
        }
    }
}
