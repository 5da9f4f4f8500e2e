package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Queued data and settings outlive a rebuild or an upgrade: they live in MCQ_HOME, outside the server
 * directory the build makes. A server made afresh (as by {@code mvn clean install}, or a new release)
 * with the same MCQ_HOME finds every message and setting; a database an earlier release left inside
 * the server directory is used where it is, and each start says to move it.
 */
class UpgradeIT {

    private static final Path WORK = Path.of(System.getProperty("mcq.work.dir", "target/it-servers"));

    @Test
    void aServerMadeAfreshWithTheSameHomeKeepsEveryMessageAndSetting() throws Exception {
        Files.createDirectories(WORK);
        Path home = Files.createTempDirectory(WORK, "mcq-home-");
        Files.writeString(home.resolve("mcq.env"), "MCQ_SYNC=false\n");
        Map<String, String> settings = Map.of("MCQ_HOME", home.toAbsolutePath().toString());
        try (LibertyServer before = LibertyServer.start("before-upgrade", settings)) {
            assertTrue(before.healthBody("ready").contains("\"mode\":\"nosync\""), "mcq.env read: " + before.healthBody("ready"));
            try (MemcacheClient client = before.client()) {
                for (int i = 0; i < 100; i++) {
                    assertEquals("STORED", client.set("kept", "job " + i));
                }
                assertEquals("job 0", client.getText("kept"));
            }
            before.stop();
        }
        try (LibertyServer after = LibertyServer.start("after-upgrade", settings)) {
            assertTrue(after.healthBody("ready").contains("\"mode\":\"nosync\""), "mcq.env kept: " + after.healthBody("ready"));
            try (MemcacheClient client = after.client()) {
                for (int i = 1; i < 100; i++) {
                    assertEquals("job " + i, client.getText("kept"));
                }
                assertNull(client.get("kept"));
            }
        }
    }

    @Test
    void dataAnEarlierReleaseKeptInsideTheServerDirectoryIsUsedWhereItIsAndNamed() throws Exception {
        Files.createDirectories(WORK);
        Path earlierHome = Files.createTempDirectory(WORK, "mcq-home-earlier-");
        try (LibertyServer earlier = LibertyServer.start("earlier-release", Map.of("MCQ_HOME", earlierHome.toString()))) {
            try (MemcacheClient client = earlier.client()) {
                assertEquals("STORED", client.set("old", "from an earlier release"));
            }
            earlier.stop();
        }
        Path home = Files.createTempDirectory(WORK, "mcq-home-now-");
        LibertyServer server = LibertyServer.prepare("upgraded-in-place", Map.of("MCQ_HOME", home.toString()));
        Path inside = server.serverDir().resolve("data/mcq");
        Files.createDirectories(inside.getParent());
        Files.move(earlierHome.resolve("data"), inside); // where releases before MCQ_HOME kept it
        try (server) {
            server.startAgain();
            try (MemcacheClient client = server.client()) {
                assertEquals("from an earlier release", client.getText("old"));
            }
            assertTrue(server.console().contains("mcq: the queues' data is in " + inside.toAbsolutePath()),
                    server.console());
            assertTrue(Files.notExists(home.resolve("data")), "nothing made beside it");
        }
    }
}
