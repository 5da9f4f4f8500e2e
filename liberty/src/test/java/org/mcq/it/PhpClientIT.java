package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Legacy PHP code, unchanged, against the server: each script exits non-zero on the first surprise. */
@ExtendWith(SharedServer.class)
class PhpClientIT {

    static final Path SCRIPTS = Path.of(System.getProperty("mcq.php.dir", "src/test/php"));

    static String runPhp(String script, int port) throws IOException, InterruptedException {
        return runPhp(script, "127.0.0.1", port);
    }

    /** Runs a script against {@code host} (a unix socket's path as the client takes it) and port. */
    static String runPhp(String script, String host, int port, String... more) throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("php", SCRIPTS.resolve(script).toString(),
                host, Integer.toString(port)));
        command.addAll(java.util.List.of(more));
        Process php = new ProcessBuilder(command)
                .redirectErrorStream(true).start();
        boolean finished = php.waitFor(120, TimeUnit.SECONDS);
        String output = new String(php.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            php.destroyForcibly();
        }
        assertTrue(finished, script + " did not finish:\n" + output);
        assertEquals(0, php.exitValue(), script + " failed:\n" + output);
        return output;
    }

    @Test
    void theLegacyMemcacheSnippetWorksUnchanged() throws Exception {
        String output = runPhp("legacy_memcache.php", SharedServer.server().port());
        assertTrue(output.contains("ALL OK"), output);
    }

    @Test
    void peclMemcacheWorksInEveryWayQueueCodeUsesIt() throws Exception {
        String output = runPhp("memcache_client.php", SharedServer.server().port());
        assertTrue(output.contains("ALL OK"), output);
    }

    @Test
    void phpMemcachedOnLibmemcachedWorks() throws Exception {
        String output = runPhp("memcached_client.php", SharedServer.server().port());
        assertTrue(output.contains("ALL OK"), output);
    }
}
