package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PHP workers with Kestrel's reliable reads, on pecl memcache and php-memcached: a worker killed
 * mid-job loses nothing, its job reaches the next worker; peek and t= from PHP.
 */
@ExtendWith(SharedServer.class)
class PhpReliableReadsIT {

    private static Process php(String mode, String queue, String... more) throws Exception {
        String[] command = new String[6 + more.length];
        command[0] = "php";
        command[1] = PhpClientIT.SCRIPTS.resolve("reliable_reads.php").toString();
        command[2] = "127.0.0.1";
        command[3] = Integer.toString(SharedServer.server().port());
        command[4] = mode;
        command[5] = queue;
        System.arraycopy(more, 0, command, 6, more.length);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Runs the script to its end; returns its output and exit status. */
    private static String finish(Process php, boolean mustSucceed) throws Exception {
        assertTrue(php.waitFor(60, TimeUnit.SECONDS), "php did not finish");
        String output = new String(php.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (mustSucceed) {
            assertEquals(0, php.exitValue(), output);
        }
        return output;
    }

    private static long stat(String name) throws Exception {
        try (MemcacheClient c = SharedServer.server().client()) {
            return Long.parseLong(c.stats(null).get(name));
        }
    }

    @Test
    void aWorkerKilledMidJobLosesNothingAndTheNextWorkersTakeItsJobFirst() throws Exception {
        String queue = "php-jobs";
        try (MemcacheClient c = SharedServer.server().client()) {
            for (int i = 0; i < 6; i++) {
                assertEquals("STORED", c.set(queue, "j" + i));
            }
            Process dying = php("die", queue);
            String output = finish(dying, false);
            assertTrue(output.contains("OPENED j0"), output);
            assertNotEquals(0, dying.exitValue(), "the worker was killed: " + output);
            assertTrue(Eventually.holds(Duration.ofSeconds(10), () -> stat("open_reads") == 0),
                    "the dead worker's job went back to the queue");
            String first = finish(php("work-memcached", queue, "3"), true);
            assertTrue(first.contains("DONE j0,j1,j2"), first);
            String second = finish(php("work-memcache", queue), true);
            assertTrue(second.contains("DONE j3,j4,j5"), second);
            assertNull(c.get(queue), "every job confirmed");
            assertEquals("6/6", c.stats("queue").get(queue));
        }
    }

    @Test
    void peekAndTimedReadsFromPhp() throws Exception {
        String output = finish(php("peek-wait", "php-peek"), true);
        assertTrue(output.contains("ALL OK"), output);
    }

    @Test
    void aPhpWorkerWaitingWithTIsServedByASet() throws Exception {
        long waiting = stat("waiters");
        Process worker = php("wait", "php-wait");
        assertTrue(Eventually.holds(Duration.ofSeconds(10), () -> stat("waiters") == waiting + 1), "the worker waits");
        try (MemcacheClient c = SharedServer.server().client()) {
            assertEquals("STORED", c.set("php-wait", "delivered while waiting"));
        }
        String output = finish(worker, true);
        assertTrue(output.contains("GOT delivered while waiting"), output);
    }
}
