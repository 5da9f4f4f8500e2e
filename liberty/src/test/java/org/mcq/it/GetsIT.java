package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** gets pops like get and adds a cas unique (MemcacheQ: ERROR, and php-memcached reconnected). */
@ExtendWith(SharedServer.class)
class GetsIT {

    @Test
    void getsPopsWithAUniquePerMessage() throws Exception {
        try (MemcacheClient c = SharedServer.server().client()) {
            c.set("gets-q", "one");
            c.set("gets-q", "two");
            c.set("gets-r", "three");
            List<MemcacheClient.Item> items = c.retrieve("gets gets-q gets-r gets-q");
            assertEquals(List.of("one", "three", "two"), items.stream().map(MemcacheClient.Item::text).toList());
            for (MemcacheClient.Item item : items) {
                assertNotNull(item.cas());
            }
            assertTrue(items.get(0).cas() < items.get(2).cas(), "uniques follow storage order");
            assertEquals(List.of(), c.retrieve("gets gets-q"));
        }
    }
}
