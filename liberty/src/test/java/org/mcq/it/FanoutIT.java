package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fanout queues ({@code mcq.fanout}, on in the shared server), with the clients sites use: workers
 * on pecl memcache subscribe by reading {@code orders+audit} and {@code orders+mail}, a producer on
 * php-memcached sets {@code orders}, and each subscriber, and the queue itself, gets every message.
 */
@ExtendWith(SharedServer.class)
class FanoutIT {

    @Test
    void everySubscriberGetsACopyOfEverySet() throws Exception {
        int port = SharedServer.server().port();
        String script = "$w = new Memcache; $w->connect('127.0.0.1', " + port + ");"
                + "var_dump($w->get('orders+audit'), $w->get('orders+mail/open'));" // subscribe: nothing yet
                + "$p = new Memcached; $p->addServer('127.0.0.1', " + port + ");"
                + "foreach (['order 1', 'order 2'] as $o) { if (!$p->set('orders', $o)) { exit(1); } }"
                + "$out = [];"
                + "foreach (['orders', 'orders+audit', 'orders+mail'] as $q) {"
                + "  while (($v = $w->get($q)) !== false) { $out[$q][] = $v; } }"
                + "echo json_encode($out);";
        Command php = Command.run(Map.of(), "php", "-r", script);
        assertEquals(0, php.exit(), php.output());
        String[] lines = php.output().strip().split("\n");
        assertEquals("bool(false)", lines[0]);
        assertEquals("bool(false)", lines[1]);
        assertEquals("{\"orders\":[\"order 1\",\"order 2\"],\"orders+audit\":[\"order 1\",\"order 2\"],"
                + "\"orders+mail\":[\"order 1\",\"order 2\"]}", lines[2]);
        try (MemcacheClient client = new MemcacheClient("127.0.0.1", port)) {
            Map<String, String> queues = client.stats("queue");
            assertEquals("2/2", queues.get("orders+audit"), "an ordinary queue in stats queue: stored/consumed");
            assertEquals("2/2", queues.get("orders+mail"));
            assertEquals("DELETED", client.call("delete orders+audit"));
            assertEquals("DELETED", client.call("delete orders+mail"));
            assertEquals("STORED", client.set("orders", "after"));
            assertNull(client.getText("orders+audit"), "a deleted subscriber gets no copies");
            assertEquals("after", client.getText("orders"));
            assertEquals("DELETED", client.call("delete orders+audit"));
            assertEquals("DELETED", client.call("delete orders"));
        }
    }
}
