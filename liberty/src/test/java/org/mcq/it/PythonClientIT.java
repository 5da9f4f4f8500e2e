package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** pymemcache (Debian python3-pymemcache), which sends noreply on every set by default. */
@ExtendWith(SharedServer.class)
class PythonClientIT {

    @Test
    void pymemcacheWithItsDefaultNoreplyStoresWhatItSets() throws Exception {
        Path script = Path.of(System.getProperty("mcq.php.dir", "src/test/php")).resolveSibling("python")
                .resolve("pymemcache_client.py");
        // Debian's interpreter, which is the one its python3-pymemcache package is installed for
        Process python = new ProcessBuilder("/usr/bin/python3", script.toString(), "127.0.0.1",
                Integer.toString(SharedServer.server().port())).redirectErrorStream(true).start();
        assertTrue(python.waitFor(120, TimeUnit.SECONDS));
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, python.exitValue(), output);
        assertTrue(output.contains("ALL OK"), output);
    }
}
