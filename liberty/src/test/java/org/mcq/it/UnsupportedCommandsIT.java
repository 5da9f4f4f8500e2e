package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Commands a queue cannot honour get one line that clients handle, and their data blocks are
 * swallowed (MemcacheQ answered ERROR and parsed the data as a command, desynchronising PHP clients).
 */
@ExtendWith(SharedServer.class)
class UnsupportedCommandsIT {

    @Test
    void addReplaceAppendPrependAreNotStoredAndTheirDataIsSwallowed() throws Exception {
        try (MemcacheClient c = SharedServer.server().client()) {
            c.set("unsup-q", "kept");
            for (String verb : new String[] {"add", "replace", "append", "prepend"}) {
                c.send(verb + " unsup-q 0 0 11\r\nget unsup-q\r\n");
                assertEquals("NOT_STORED", c.line(), verb);
            }
            c.send("cas unsup-q 0 0 11 123\r\nget unsup-q\r\n");
            assertEquals("NOT_FOUND", c.line());
            assertEquals("kept", c.getText("unsup-q"), "nothing was popped or stored");
        }
    }

    @Test
    void incrDecrTouchAreNotFound() throws Exception {
        try (MemcacheClient c = SharedServer.server().client()) {
            c.set("unsup-n", "5");
            assertEquals("NOT_FOUND", c.call("incr unsup-n 1"));
            assertEquals("NOT_FOUND", c.call("decr unsup-n 1"));
            assertEquals("NOT_FOUND", c.call("touch unsup-n 10"));
            assertEquals("CLIENT_ERROR invalid numeric delta argument", c.call("incr unsup-n x"));
            assertEquals("5", c.getText("unsup-n"));
        }
    }
}
