package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A binary-protocol client is closed at once (MemcacheQ hung waiting for a newline). */
@ExtendWith(SharedServer.class)
class BinaryProtocolIT {

    @Test
    void theBinaryMagicByteClosesTheConnection() throws Exception {
        byte[] binaryGet = {(byte) 0x80, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'q'};
        try (MemcacheClient c = SharedServer.server().client()) {
            c.send(binaryGet);
            assertTrue(c.closedByServer(10_000));
        }
        try (MemcacheClient c = SharedServer.server().client()) {
            assertEquals("STORED", c.set("binary-after", "fine"));
        }
    }
}
