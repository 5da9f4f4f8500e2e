package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The database on a small filesystem that the test fills up, then frees, in both modes: sets are
 * refused with SERVER_ERROR within a bounded time and nothing refused is stored, what was
 * acknowledged (in no-sync mode, at once, before the failure was seen) is written once there is
 * room, gets keep serving, readiness goes DOWN, and the server recovers by itself.
 */
class StorageFailureIT {

    private static final int BODY = 16 * 1024;
    /** Sets tried, and timed, once the first was refused: every one must be refused too. */
    private static final int REFUSED_SETS = 5;
    /**
     * The most a refused set may take to be answered (README, Durability, "Storage failures": the
     * writer's 0.5 s pause after a refused batch, plus the failing write its set waits for and the
     * one it rides in), with room for a slow machine.
     */
    private static final Duration REFUSAL_BOUND = Duration.ofSeconds(5);

    @ParameterizedTest(name = "sync={0}")
    @ValueSource(booleans = {true, false})
    void aFullDiskRefusesSetsServesGetsAndRecovers(boolean sync) throws Exception {
        Path mount = Files.createTempDirectory("mcq-small-fs");
        run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString());
        try (LibertyServer server = LibertyServer.start("disk-full-" + (sync ? "sync" : "nosync"),
                Map.of("MCQ_DATA_DIR", mount.resolve("db").toString(), "MCQ_CHECKPOINT_INTERVAL_S", "0",
                        "MCQ_SYNC", Boolean.toString(sync)))) {
            List<String> stored = new ArrayList<>();
            try (MemcacheClient client = server.client()) {
                for (int i = 0; i < 10; i++) {
                    assertEquals("STORED", client.set("full", "before-" + i));
                    stored.add("before-" + i);
                }
                Path filler = fill(mount);
                long filled = System.nanoTime();
                String refusal = null;
                long slowestMillis = 0;
                for (int i = 0; i < 2000 && refusal == null; i++) {
                    long asked = System.nanoTime();
                    String reply = client.set("full", 0, body("during-" + i));
                    slowestMillis = Math.max(slowestMillis, millisSince(asked));
                    if (reply.equals("STORED")) {
                        stored.add("during-" + i);
                    } else {
                        refusal = reply;
                    }
                }
                assertTrue(refusal != null && refusal.startsWith("SERVER_ERROR "), "no refusal, last reply " + refusal);
                long firstRefusalMillis = millisSince(filled);
                long slowestRefusalMillis = 0;
                for (int i = 0; i < REFUSED_SETS; i++) {
                    long asked = System.nanoTime();
                    String reply = client.set("full", 0, body("refused-" + i));
                    slowestRefusalMillis = Math.max(slowestRefusalMillis, millisSince(asked));
                    assertTrue(reply.startsWith("SERVER_ERROR "), "a set while the disk is full: " + reply);
                }
                System.out.printf("STORAGE FAILURE sync=%s: %d stored (%d on the full disk), first refusal %d ms after the "
                                + "disk filled (slowest set before it %d ms), %d more refused in at most %d ms each: %s%n",
                        sync, stored.size(), stored.size() - 10, firstRefusalMillis, slowestMillis, REFUSED_SETS,
                        slowestRefusalMillis, refusal);
                assertTrue(slowestMillis <= REFUSAL_BOUND.toMillis(), "a set took " + slowestMillis + " ms");
                assertTrue(slowestRefusalMillis <= REFUSAL_BOUND.toMillis(), "a refusal took " + slowestRefusalMillis + " ms");
                assertEquals(503, server.health("ready"), "readiness while writes fail");
                assertEquals(200, server.health("live"));

                for (int i = 0; i < 3; i++) {
                    assertEquals(stored.remove(0), client.getText("full"), "get while the disk is full");
                }

                Files.delete(filler);
                assertTrue(Eventually.holds(Duration.ofSeconds(60),
                        () -> client.set("full", 0, body("after")).equals("STORED")), "no recovery after space was freed");
                stored.add("after");
                Eventually.holds(Duration.ofSeconds(60), () -> server.health("ready") == 200);
                assertEquals(200, server.health("ready"), "readiness after recovery");
            }
            server.restart();
            try (MemcacheClient client = server.client()) {
                for (String expected : stored) {
                    MemcacheClient.Item item = client.get("full");
                    String text = item == null ? null : label(item.text());
                    assertEquals(expected, text);
                }
                assertNull(client.get("full"), "a refused message was stored, or a served one came back");
            }
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static String label(String body) {
        int end = body.indexOf('|');
        return end < 0 ? body : body.substring(0, end);
    }

    private static byte[] body(String label) {
        StringBuilder body = new StringBuilder(label).append('|');
        while (body.length() < BODY) {
            body.append('x');
        }
        return body.toString().getBytes();
    }

    /** Writes a file until the filesystem is full; returns it. */
    private static Path fill(Path mount) throws IOException {
        Path filler = mount.resolve("filler");
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            return filler;
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed (the test needs root)");
    }
}
