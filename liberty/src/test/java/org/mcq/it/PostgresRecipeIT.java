package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mcq.testkit.PostgresCluster;

/**
 * The README's PostgreSQL recipe, as written, on a fresh cluster of the installed PostgreSQL (15 on
 * Debian 12, where a database's schema public takes tables from its owner only): its
 * {@code sudo -u postgres} lines are run as the postgres user, and a server started as the role they
 * make serves.
 */
class PostgresRecipeIT {

    private static final Path README = Path.of("../README.md");
    private static final String SUDO = "sudo -u postgres ";

    @Test
    void theReadmesRoleAndDatabaseServeAServer() throws Exception {
        List<String> recipe = Files.readAllLines(README).stream().filter(line -> line.startsWith(SUDO)).toList();
        assertEquals(2, recipe.size(), "the recipe's lines: " + recipe);
        try (PostgresCluster cluster = PostgresCluster.empty()) {
            for (String line : recipe) {
                cluster.asPostgres(line.substring(SUDO.length()));
            }
            Map<String, String> settings = Map.of("MCQ_DB", "postgresql", "MCQ_DB_HOST", "127.0.0.1",
                    "MCQ_DB_PORT", Integer.toString(cluster.port()), "MCQ_DB_USER", "mcq", "MCQ_DB_PASSWORD", "secret");
            try (LibertyServer server = LibertyServer.start("postgres-recipe", settings);
                 MemcacheClient client = server.client()) {
                assertEquals("STORED", client.set("recipe", "works"));
                assertEquals("works", client.getText("recipe"));
                assertTrue(server.healthBody("ready").contains("\"database\":\"postgresql\""), server.healthBody("ready"));
            }
        }
    }
}
