package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The MicroProfile Health endpoints tell a load balancer the truth. */
@ExtendWith(SharedServer.class)
class HealthIT {

    @Test
    void aServingServerIsLiveReadyAndStarted() throws Exception {
        LibertyServer server = SharedServer.server();
        assertEquals(200, server.health("live"));
        assertEquals(200, server.health("ready"));
        assertEquals(200, server.health("started"));
        String ready = server.healthBody("ready");
        assertTrue(ready.contains("\"memcache-listener\"") && ready.contains("\"storage\""), ready);
    }

    @Test
    void withoutItsListenerTheServerIsNotReady() throws Exception {
        // another process holds the port, so the bean's activation cannot open the listener
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LibertyServer server = LibertyServer.launch("no-listener",
                     Map.of("MCQ_PORT", Integer.toString(squatter.getLocalPort())))) {
            Eventually.holds(Duration.ofSeconds(180), () -> server.health("started") == 200);
            assertEquals(200, server.health("started"), server.consoleTail());
            assertEquals(200, server.health("live"));
            assertEquals(503, server.health("ready"));
            String body = server.healthBody("ready");
            assertTrue(body.matches("(?s).*\"name\":\"memcache-listener\",\"status\":\"DOWN\".*"), body);
            assertTrue(body.matches("(?s).*\"name\":\"storage\",\"status\":\"UP\".*"), body);
        }
    }
}
