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
import org.junit.jupiter.api.Test;

/**
 * The database on a small filesystem that the test fills up, then frees: sets are refused with
 * SERVER_ERROR and nothing refused is stored, gets keep serving, readiness goes DOWN, and the server
 * recovers by itself once there is room again.
 */
class StorageFailureIT {

    private static final int BODY = 16 * 1024;

    @Test
    void aFullDiskRefusesSetsServesGetsAndRecovers() throws Exception {
        Path mount = Files.createTempDirectory("mcq-small-fs");
        run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString());
        try (LibertyServer server = LibertyServer.start("disk-full",
                Map.of("MCQ_DATA_DIR", mount.resolve("db").toString(), "MCQ_CHECKPOINT_INTERVAL_S", "0"))) {
            List<String> stored = new ArrayList<>();
            try (MemcacheClient client = server.client()) {
                for (int i = 0; i < 10; i++) {
                    assertEquals("STORED", client.set("full", "before-" + i));
                    stored.add("before-" + i);
                }
                Path filler = fill(mount);
                String refusal = null;
                for (int i = 0; i < 2000 && refusal == null; i++) {
                    String reply = client.set("full", 0, body("during-" + i));
                    if (reply.equals("STORED")) {
                        stored.add("during-" + i);
                    } else {
                        refusal = reply;
                    }
                }
                assertTrue(refusal != null && refusal.startsWith("SERVER_ERROR "), "no refusal, last reply " + refusal);
                System.out.println("STORAGE FAILURE: " + stored.size() + " stored, then refused with: " + refusal);
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
