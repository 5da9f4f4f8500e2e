package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** noreply: the command is carried out and nothing is sent (MemcacheQ answered ERROR twice). */
@ExtendWith(SharedServer.class)
class NoreplyIT {

    @Test
    void noreplyCommandsAreExecutedSilently() throws Exception {
        try (MemcacheClient c = SharedServer.server().client()) {
            c.send("set noreply-q 0 0 3 noreply\r\none\r\nset noreply-q 0 0 3 noreply\r\ntwo\r\n"
                    + "verbosity 1 noreply\r\nget noreply-q\r\n");
            assertEquals("one", c.values().get(0).text(), "the first reply is the get's");
            c.send("delete noreply-q noreply\r\nget noreply-q\r\n");
            assertTrue(c.values().isEmpty(), "delete noreply dropped the queue");
            c.send("set noreply-r 0 0 1 noreply\r\nx\r\nflush_all noreply\r\nget noreply-r\r\n");
            assertTrue(c.values().isEmpty(), "flush_all noreply emptied the queues");
        }
    }
}
