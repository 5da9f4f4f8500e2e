package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mcq.testkit.PostgresCluster;

/**
 * An install on Derby restarted with the PostgreSQL settings, in the same server directory and
 * without {@code --clean}: it runs on PostgreSQL (Liberty's kept configuration, which would have
 * kept Derby's data sources, is cleared), and the messages queued in Derby are carried over, in
 * order, with their queues' counters; the Derby database is kept aside (that a later start does not
 * carry it twice, and the claimed and marked states between, DerbyCarryOverTest holds).
 */
class ChangeOfStoreIT {

    @Test
    void messagesQueuedInDerbyAreCarriedToPostgresqlWhenTheStoreChanges() throws Exception {
        try (PostgresCluster database = PostgresCluster.create();
             LibertyServer server = LibertyServer.start("change-of-store", Map.of())) {
            try (MemcacheClient client = server.client()) {
                for (int i = 0; i < 20; i++) {
                    assertEquals("STORED", client.set("jobs", "job " + i));
                }
                assertEquals("STORED", client.set("mail", "hello"));
                assertEquals("job 0", client.getText("jobs"));
            }
            server.stop();

            server.change(database.settings());
            server.startAgain();
            assertTrue(server.healthBody("ready").contains("\"database\":\"postgresql\""), server.healthBody("ready"));
            try (MemcacheClient client = server.client()) {
                assertEquals(Map.of("jobs", "20/1", "mail", "1/0"), client.stats("queue"));
                for (int i = 1; i < 20; i++) {
                    assertEquals("job " + i, client.getText("jobs"));
                }
                assertNull(client.get("jobs"));
                assertEquals("hello", client.getText("mail"));
            }
            assertTrue(server.messagesLog().contains("mcq carried 20 messages of 2 queues from the Derby database"),
                    server.messagesLog());
            Path home = Path.of(server.environment().get("MCQ_HOME"));
            try (Stream<Path> kept = Files.list(home)) {
                List<String> names = kept.map(path -> path.getFileName().toString()).sorted().toList();
                assertEquals(1, names.size(), names.toString());
                assertTrue(names.get(0).startsWith("data.carried-to-postgresql-"), names.toString());
            }

        }
    }
}
