package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mcq.testkit.PostgresCluster;

/**
 * /health/ready on a shared PostgreSQL database costs it one ping per probe, whoever sends them: no
 * count of the messages and no commit of counters (it used to run three counts, two of them scans of
 * the message table, and a counter commit per probe), yet it still goes DOWN while the database is
 * away. PostgreSQL's pg_stat_statements counts what the probes ran.
 */
class StorageReadinessIT {

    private static final int PROBES = 50;
    /** The statements that count the message table (TOTALS), as pg_stat_statements shows them. */
    private static final String COUNTS = "SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements "
            + "WHERE query ILIKE '%count(*) from messages%'";
    /** The ping, its constant made a parameter by pg_stat_statements. */
    private static final String PINGS = "SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements WHERE query = 'SELECT $1'";

    @Test
    void aProbeCostsTheDatabaseOnePingAndNoCount() throws Exception {
        try (PostgresCluster database = PostgresCluster.create("shared_preload_libraries=pg_stat_statements");
             LibertyServer server = LibertyServer.start("readiness-cost", database.settings());
             MemcacheClient client = server.client()) {
            database.query("CREATE EXTENSION pg_stat_statements");
            for (int i = 0; i < 100; i++) {
                assertEquals("STORED", client.set("waiting", "m" + i));
            }
            database.query("SELECT pg_stat_statements_reset()");
            for (int i = 0; i < PROBES; i++) {
                assertEquals(200, server.health("ready"), server.healthBody("ready"));
            }
            assertEquals(0, Long.parseLong(database.query(COUNTS)), "counts of the messages run by " + PROBES + " probes");
            long pings = Long.parseLong(database.query(PINGS));
            assertTrue(pings >= PROBES, "each probe pings the database: " + pings + " pings for " + PROBES + " probes");

            database.stop();
            try {
                assertTrue(Eventually.holds(Duration.ofSeconds(30), () -> server.health("ready") == 503),
                        "DOWN while the database is away: " + server.healthBody("ready"));
            } finally {
                database.start();
            }
            assertTrue(Eventually.holds(Duration.ofSeconds(30), () -> server.health("ready") == 200), "UP again");
        }
    }
}
