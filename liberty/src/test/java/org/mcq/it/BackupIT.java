package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The admin API's backup (Derby's online backup) is taken while a producer goes on, and a server
 * started on a copy of it has exactly the messages that were queued when it was taken.
 */
class BackupIT {

    private static final String PASSWORD = "backup-test-password";

    @Test
    void aServerRestoredFromABackupHasTheQueueAsItWasWhenTheBackupWasTaken() throws Exception {
        Path restored;
        int ackedBefore;
        AtomicInteger acked = new AtomicInteger();
        try (LibertyServer server = LibertyServer.start("backup", Map.of("MCQ_ADMIN_PASSWORD", PASSWORD))) {
            try (MemcacheClient client = server.client()) {
                for (int i = 0; i < 50; i++) {
                    assertEquals("STORED", client.set("jobs", "before " + i));
                }
                AtomicBoolean producing = new AtomicBoolean(true);
                Thread producer = new Thread(() -> { // stores on while the backup is taken
                    try (MemcacheClient own = server.client()) {
                        while (producing.get()) {
                            assertEquals("STORED", own.set("jobs", "during " + acked.get()));
                            acked.incrementAndGet();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                producer.start();
                assertTrue(Eventually.holds(Duration.ofSeconds(30), () -> acked.get() >= 20), "the producer runs");
                ackedBefore = acked.get();
                HttpResponse<String> backup = AdminHttp.of(server, "admin", PASSWORD).post("/api/backups");
                producing.set(false);
                producer.join(30_000);
                assertEquals(201, backup.statusCode(), backup.body());
                Path database = Path.of((String) AdminHttp.parse(backup.body()).get("database"));
                assertTrue(Files.isRegularFile(database.resolve("service.properties")), "a database: " + database);
                for (int i = 0; i < 10; i++) {
                    assertEquals("before " + i, client.getText("jobs"));
                }
                assertEquals("STORED", client.set("jobs", "after the backup"));
                // a restore starts from a copy: the backup stays as it was, for another restore
                restored = server.serverDir().resolve("restored");
                copy(database, restored);
            }
        }
        try (LibertyServer server = LibertyServer.start("restored",
                Map.of("MCQ_DATA_DIR", restored.toAbsolutePath().toString()))) {
            try (MemcacheClient client = server.client()) {
                for (int i = 0; i < 50; i++) {
                    assertEquals("before " + i, client.getText("jobs"));
                }
                // then what the producer had stored when the backup was taken: a prefix of its sets, in order
                int during = 0;
                for (MemcacheClient.Item item = client.get("jobs"); item != null; item = client.get("jobs")) {
                    assertEquals("during " + during, item.text(), "in order, and nothing of after the backup");
                    during++;
                }
                assertTrue(during >= ackedBefore && during <= acked.get(),
                        during + " stored during the backup, of " + ackedBefore + " before it began and " + acked.get()
                                + " by its end");
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(file -> {
                try {
                    Files.copy(file, to.resolve(from.relativize(file).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
