package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The unix socket (MemcacheQ's {@code -s}, {@code -a}) with the PHP clients a site has, unchanged but
 * for the address: pecl memcache's {@code unix:///path} with port 0, php-memcached's path with port
 * 0. The same queues as the TCP port, the same reliable reads, and a file only its mode lets in.
 */
@ExtendWith(SharedServer.class)
@Timeout(300) // a unix socket's reads have no timeout of their own
class UnixSocketIT {

    @Test
    void peclMemcacheWorksOverTheSocketInEveryWayQueueCodeUsesIt() throws Exception {
        String host = "unix://" + SharedServer.socket();
        assertTrue(PhpClientIT.runPhp("legacy_memcache.php", host, 0).contains("ALL OK"));
        assertTrue(PhpClientIT.runPhp("memcache_client.php", host, 0).contains("ALL OK"));
    }

    @Test
    void phpMemcachedWorksOverTheSocket() throws Exception {
        String output = PhpClientIT.runPhp("memcached_client.php", SharedServer.socket().toString(), 0);
        assertTrue(output.contains("ALL OK"), output);
    }

    @Test
    void theSocketServesTheSameQueuesAndGivesBackTheOpenReadsOfAClosedConnection() throws Exception {
        LibertyServer server = SharedServer.server();
        try (MemcacheClient unix = new MemcacheClient(SharedServer.socket());
             MemcacheClient tcp = new MemcacheClient("127.0.0.1", server.port())) {
            assertEquals("STORED", unix.set("unix-q", "first"));
            assertEquals("STORED", tcp.set("unix-q", "second"));
            assertEquals("first", tcp.getText("unix-q"), "one queue, whichever way it is reached");
            assertEquals("second", unix.retrieve("get unix-q/open").get(0).text());
            assertTrue(Long.parseLong(tcp.stats(null).get("curr_connections")) >= 2, "the socket's connections are counted");
        }
        try (MemcacheClient tcp = new MemcacheClient("127.0.0.1", server.port())) {
            assertTrue(Eventually.holds(Duration.ofSeconds(30), () -> "second".equals(tcp.getText("unix-q"))),
                    "the closed socket connection's open read goes back to its queue");
        }
    }

    @Test
    void onlyTheModeLetsUsersConnect() throws Exception {
        Path socket = SharedServer.socket();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)),
                "mcq.socket.mask's default, MemcacheQ's -a");
        String probe = "$m = new Memcache; echo @$m->connect('unix://" + socket + "', 0) ? 'connected' : 'refused';";
        Command own = Command.run(Map.of(), "php", "-r", probe);
        assertEquals("connected", own.output().strip(), "the server's own user connects");
        assumeTrue("root".equals(System.getProperty("user.name")), "another user is tried only when the test runs as root");
        Command other = Command.run(Map.of(), "su", "-s", "/bin/sh", "nobody", "-c", "php -r \"" + probe.replace("$", "\\$") + "\"");
        assertEquals("refused", other.output().strip(), "another user is refused by the socket's mode");
    }
}
