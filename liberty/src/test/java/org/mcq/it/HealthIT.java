package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
        assertTrue(ready.contains("\"address\":\"127.0.0.1:" + server.port() + "\""), "the port is held by our listener: " + ready);
    }

    /**
     * Another program on the port (memcached, left running while it is replaced) answers a probe of
     * the port as we would; readiness goes by our own listener, so it is DOWN and says why. Liveness
     * stays UP: the listener tries the port again every 2 s, and a restart would not free it sooner.
     * Once the other program stops, the listener takes the port on its own and the server serves.
     */
    @Test
    void withAnotherProgramOnThePortTheServerIsNotReadyUntilItTakesThePortOver() throws Exception {
        int port = LibertyServer.freePort();
        // Debian's memcached (.ci/run installs it), as the operator left it running
        Process memcached = new ProcessBuilder("memcached", "-l", "127.0.0.1", "-p", Integer.toString(port), "-U", "0",
                "-u", "nobody").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertTrue(Eventually.holds(Duration.ofSeconds(30), () -> answersVersion(port)), "memcached never served");
            try (LibertyServer server = LibertyServer.launch("no-listener", Map.of("MCQ_PORT", Integer.toString(port)))) {
                assertTrue(Eventually.holds(Duration.ofSeconds(180), () -> server.health("started") == 200),
                        server.consoleTail());
                String cause = "cannot listen on 127.0.0.1:" + port + ": Address already in use; trying again every 2 s";
                assertTrue(Eventually.holds(Duration.ofSeconds(60), () -> server.healthBody("ready").contains(cause)),
                        server.healthBody("ready"));
                assertEquals(503, server.health("ready"));
                String ready = server.healthBody("ready");
                assertTrue(ready.matches("(?s).*\\{\"name\":\"memcache-listener\",\"status\":\"DOWN\",\"data\":\\{\"reason\":\"" + cause + "\"\\}.*"), ready);
                assertTrue(ready.matches("(?s).*\"name\":\"storage\",\"status\":\"UP\".*"), ready);
                assertEquals(200, server.health("live"), server.healthBody("live"));
                assertTrue(answersVersion(port), "memcached still holds the port and answers a probe as we would");

                memcached.destroy();
                memcached.waitFor();
                assertTrue(Eventually.holds(Duration.ofSeconds(30), () -> server.health("ready") == 200),
                        server.healthBody("ready"));
                assertEquals(200, server.health("live"), server.healthBody("live"));
                try (MemcacheClient client = server.client()) {
                    assertEquals("STORED", client.set("taken-over", "ok"));
                    assertEquals("ok", client.getText("taken-over"));
                }
                assertTrue(server.healthBody("ready").contains("\"address\":\"127.0.0.1:" + port + "\""),
                        server.healthBody("ready"));
                // one warning, and the attempts that failed (MemcacheResourceAdapterTest counts them) said nothing
                String log = server.messagesLog();
                assertEquals(1, log.split("mcq cannot listen on 127.0.0.1:" + port, -1).length - 1, log);
                assertFalse(log.contains("listener on 127.0.0.1:" + port + " stopped"), log);
            }
        } finally {
            memcached.destroy();
            memcached.waitFor();
        }
    }

    private static boolean answersVersion(int port) {
        try (MemcacheClient client = new MemcacheClient("127.0.0.1", port)) {
            return client.call("version").startsWith("VERSION ");
        } catch (IOException e) {
            return false;
        }
    }
}
