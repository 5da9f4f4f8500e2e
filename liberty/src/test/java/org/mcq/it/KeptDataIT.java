package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What an operator keeps, in one server's life (each start costs 20 s or more on CI's 2 cores, so the
 * phases follow one another):
 * <ol>
 * <li>a backup through the admin API, taken while a producer stores on;</li>
 * <li>an upgrade: a server made afresh (as by {@code mvn clean install}, or a new release) with the
 * same MCQ_HOME finds every message and the settings of {@code mcq.env};</li>
 * <li>a restore: a server started on a copy of the backup has the queue as it was when the backup
 * was taken, a prefix of the producer's sets in order;</li>
 * <li>a database an earlier release kept inside the server directory is used where it is, and the
 * start says to move it.</li>
 * </ol>
 */
class KeptDataIT {

    private static final Path WORK = Path.of(System.getProperty("mcq.work.dir", "target/it-servers"));
    private static final String PASSWORD = "kept-data-password";

    @Test
    void backupUpgradeRestoreAndAnEarlierReleasesData() throws Exception {
        Files.createDirectories(WORK);
        Path home = Files.createTempDirectory(WORK, "mcq-home-");
        Files.writeString(home.resolve("mcq.env"), "MCQ_ADMIN_PASSWORD=" + PASSWORD + "\n");
        Map<String, String> settings = Map.of("MCQ_HOME", home.toAbsolutePath().toString());
        AtomicInteger acked = new AtomicInteger();
        int ackedBefore;
        Path backupCopy;

        try (LibertyServer server = LibertyServer.start("before-upgrade", settings);
             MemcacheClient client = server.client()) {
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
            HttpResponse<String> backup = AdminHttp.of(server, "admin", PASSWORD).post("/api/backups"); // mcq.env's password
            producing.set(false);
            producer.join(30_000);
            assertEquals(201, backup.statusCode(), backup.body());
            Path database = Path.of((String) AdminHttp.parse(backup.body()).get("database"));
            assertTrue(Files.isRegularFile(database.resolve("service.properties")), "a database: " + database);
            for (int i = 0; i < 10; i++) {
                assertEquals("before " + i, client.getText("jobs"));
            }
            assertEquals("STORED", client.set("jobs", "after the backup"));
            backupCopy = WORK.resolve(home.getFileName() + "-restored"); // a restore starts from a copy of the backup
            copy(database, backupCopy);
            server.stop();
        }

        try (LibertyServer upgraded = LibertyServer.start("after-upgrade", settings);
             MemcacheClient client = upgraded.client()) {
            assertEquals(200, AdminHttp.of(upgraded, "admin", PASSWORD).get("/api/server").statusCode(),
                    "mcq.env kept: its admin password");
            for (int i = 10; i < 50; i++) {
                assertEquals("before " + i, client.getText("jobs"));
            }
            for (int i = 0; i < acked.get(); i++) {
                assertEquals("during " + i, client.getText("jobs"));
            }
            assertEquals("after the backup", client.getText("jobs"));
            assertNull(client.get("jobs"));
            assertEquals("STORED", client.set("old", "from an earlier release"));
            upgraded.stop();
        }

        try (LibertyServer restored = LibertyServer.start("restored", Map.of("MCQ_DATA_DIR", backupCopy.toAbsolutePath().toString()));
             MemcacheClient client = restored.client()) {
            for (int i = 0; i < 50; i++) {
                assertEquals("before " + i, client.getText("jobs"));
            }
            List<String> during = new ArrayList<>();
            for (MemcacheClient.Item item = client.get("jobs"); item != null; item = client.get("jobs")) {
                during.add(item.text());
            }
            for (int i = 0; i < during.size(); i++) {
                assertEquals("during " + i, during.get(i), "in order, and nothing of after the backup: " + during);
            }
            assertTrue(during.size() >= ackedBefore && during.size() <= acked.get(), during.size()
                    + " stored during the backup, of " + ackedBefore + " before it began and " + acked.get() + " by its end");
        }

        Path newHome = Files.createTempDirectory(WORK, "mcq-home-now-");
        LibertyServer earlier = LibertyServer.prepare("upgraded-in-place", Map.of("MCQ_HOME", newHome.toString()));
        Path inside = earlier.serverDir().resolve("data/mcq");
        Files.createDirectories(inside.getParent());
        Files.move(home.resolve("data"), inside); // where releases before MCQ_HOME kept it
        try (earlier) {
            earlier.startAgain();
            try (MemcacheClient client = earlier.client()) {
                assertEquals("from an earlier release", client.getText("old"));
            }
            assertTrue(earlier.console().contains("mcq: the queues' data is in " + inside.toAbsolutePath()), earlier.console());
            assertTrue(Files.notExists(newHome.resolve("data")), "nothing made beside it");
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
