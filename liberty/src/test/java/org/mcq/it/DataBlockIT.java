package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The length of a data block is validated before anything is allocated or popped; a bad block is
 * refused and the stream stays in step (MemcacheQ crashed, stored garbage, wrapped, or desynchronised).
 */
@ExtendWith(SharedServer.class)
class DataBlockIT {

    @Test
    void badLengthsAreRefusedAndNothingIsStored() throws Exception {
        try (MemcacheClient c = SharedServer.server().client()) {
            for (String length : new String[] {"-3", "-2", "-1", "abc", "4294967298", "1200000000000"}) {
                assertEquals("CLIENT_ERROR bad command line format", c.call("set block-len 0 0 " + length), length);
            }
            assertNull(c.get("block-len"));
            assertEquals("STORED", c.set("block-len", "fine"));
        }
    }

    @Test
    void aBodyOverTheLimitIsSwallowedAndRefused() throws Exception {
        byte[] big = new byte[1024 * 1024 + 1];
        Arrays.fill(big, (byte) 'z');
        try (MemcacheClient c = SharedServer.server().client()) {
            assertEquals("SERVER_ERROR object too large for cache", c.set("block-big", 0, big));
            assertNull(c.get("block-big"));
            byte[] limit = Arrays.copyOf(big, 1024 * 1024);
            assertEquals("STORED", c.set("block-big", 0, limit));
            assertArrayEquals(limit, c.get("block-big").body());
        }
    }

    @Test
    void aDataBlockNotEndedByCrlfIsABadChunkAndTheStreamResynchronises() throws Exception {
        try (MemcacheClient c = SharedServer.server().client()) {
            c.send("set block-chunk 0 0 3\r\nabcdef\r\nget block-chunk\r\n");
            assertEquals("CLIENT_ERROR bad data chunk", c.line());
            assertEquals(0, c.values().size(), "nothing stored");
            assertEquals("STORED", c.set("block-chunk", "ok"));
            assertEquals("ok", c.getText("block-chunk"));
        }
    }
}
