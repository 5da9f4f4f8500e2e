package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Queue names are data: any byte but controls and space, up to 250 bytes, never a file name. */
@ExtendWith(SharedServer.class)
class KeysIT {

    @Test
    void keysOf248To250BytesWork() throws Exception {
        try (MemcacheClient c = SharedServer.server().client()) {
            for (int length = 248; length <= 250; length++) {
                String key = "k".repeat(length);
                assertEquals("STORED", c.set(key, "long " + length));
                assertEquals("long " + length, c.getText(key));
            }
        }
    }

    @Test
    void aKeyOver250BytesIsRefusedBeforeAnythingIsPopped() throws Exception {
        String tooLong = "k".repeat(251);
        try (MemcacheClient c = SharedServer.server().client()) {
            c.send("set " + tooLong + " 0 0 1\r\nx\r\n");
            assertEquals("CLIENT_ERROR bad command line format", c.line());
            c.set("keys-first", "must survive");
            assertEquals("CLIENT_ERROR bad command line format", c.call("get keys-first " + tooLong));
            assertEquals("must survive", c.getText("keys-first"));
            assertFalse(c.stats("queue").containsKey(tooLong));
        }
    }

    @Test
    void slashesDotsAndHighBytesAreJustNames() throws Exception {
        try (MemcacheClient c = SharedServer.server().client()) {
            for (String key : new String[] {"../../etc/keys", "a/b/c", "caf\u00c3\u00a9", "\u00ff\u00fe"}) {
                assertEquals("STORED", c.set(key, "v"), key);
                Map<String, String> queues = c.stats("queue");
                assertEquals("1/0", queues.get(key), key);
                assertEquals("v", c.getText(key));
                assertEquals("DELETED", c.call("delete " + key));
            }
            assertEquals("CLIENT_ERROR bad command line format", c.call("get a\u0001b"));
            assertNull(c.get("a"));
        }
    }
}
