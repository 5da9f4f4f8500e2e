package org.mcq.queues.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcq.queues.rules.Expiry;

/**
 * The shared store's SQL says what {@link Expiry#expired} says, on a private PostgreSQL: for rows
 * on both sides of each bound (an exptime at now, a stored time at the max age's bound, unknown
 * times of 0 or less), with and without a maximum age, the statements that judge a row
 * (a {@code peek}, waiting reads' look for arrivals, {@code flush_expired}) take exactly the rows
 * the rule leaves deliverable, or removes exactly those it expires.
 */
class ExpirySqlTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final long MAX_AGE = 60_000;
    private static final long[] STORED = {0, -5, NOW - 2 * MAX_AGE, NOW - MAX_AGE, NOW - MAX_AGE + 1, NOW};
    private static final long[] EXPIRES = {0, -1, NOW - 1, NOW, NOW + 1};

    private static SharedEngine.Database database;
    /** Each row in a queue of its own, by name: {stored at, expires at}. */
    private static final Map<String, long[]> ROWS = new TreeMap<>();

    @BeforeAll
    static void createRows() throws Exception {
        database = new SharedEngine.Database();
        try (Connection c = database.source.getConnection()) {
            c.setAutoCommit(true);
            try (java.sql.Statement schema = c.createStatement()) {
                for (String statement : SharedSql.SCHEMA) {
                    schema.executeUpdate(statement);
                }
            }
        }
        try (Connection c = database.source.getConnection(); PreparedStatement insert = c.prepareStatement(SharedSql.INSERT)) {
            c.setAutoCommit(true);
            for (long stored : STORED) {
                for (long expires : EXPIRES) {
                    String queue = "q" + ROWS.size();
                    ROWS.put(queue, new long[]{stored, expires});
                    insert.setString(1, queue);
                    insert.setLong(2, 0);
                    insert.setBytes(3, new byte[]{1});
                    insert.setLong(4, stored);
                    insert.setLong(5, expires);
                    insert.executeUpdate();
                }
            }
        }
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        database.close();
    }

    /** The queues whose row the rule leaves deliverable at {@link #NOW}. */
    private static List<String> deliverableByRule(long maxAge) {
        List<String> deliverable = new ArrayList<>();
        ROWS.forEach((queue, row) -> {
            if (!Expiry.expired(row[1], row[0], NOW, maxAge)) {
                deliverable.add(queue);
            }
        });
        return deliverable;
    }

    @Test
    void aPeekTakesTheRowsTheRuleLeavesDeliverable() throws Exception {
        for (long maxAge : new long[]{0, MAX_AGE}) {
            List<String> peeked = new ArrayList<>();
            try (Connection c = database.source.getConnection(); PreparedStatement peek = c.prepareStatement(SharedSql.PEEK)) {
                for (String queue : ROWS.keySet()) {
                    peek.setString(1, queue);
                    peek.setLong(2, NOW);
                    peek.setLong(3, Expiry.storedAfter(NOW, maxAge));
                    peek.setArray(4, c.createArrayOf("bigint", new Long[0]));
                    try (ResultSet rs = peek.executeQuery()) {
                        if (rs.next()) {
                            peeked.add(queue);
                        }
                    }
                }
            }
            assertEquals(deliverableByRule(maxAge), peeked, "max age " + maxAge);
        }
    }

    @Test
    void waitingReadsSeeArrivalsInTheRowsTheRuleLeavesDeliverable() throws Exception {
        for (long maxAge : new long[]{0, MAX_AGE}) {
            String[] names = ROWS.keySet().toArray(String[]::new);
            Long[] bounds = new Long[names.length];
            java.util.Arrays.fill(bounds, Expiry.storedAfter(NOW, maxAge));
            List<String> found = new ArrayList<>();
            try (Connection c = database.source.getConnection();
                 PreparedStatement deliverable = c.prepareStatement(SharedSql.DELIVERABLE)) {
                deliverable.setArray(1, c.createArrayOf("varchar", names));
                deliverable.setArray(2, c.createArrayOf("int8", bounds));
                deliverable.setLong(3, NOW);
                try (ResultSet rs = deliverable.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
            found.sort(null);
            assertEquals(deliverableByRule(maxAge), found, "max age " + maxAge);
        }
    }

    @Test
    void flushExpiredRemovesTheRowsTheRuleExpires() throws Exception {
        for (long maxAge : new long[]{0, MAX_AGE}) {
            List<String> kept = new ArrayList<>();
            try (Connection c = database.source.getConnection(); PreparedStatement purge = c.prepareStatement(SharedSql.PURGE_EXPIRED)) {
                c.setAutoCommit(false);
                for (String queue : ROWS.keySet()) {
                    purge.setString(1, queue);
                    purge.setLong(2, NOW);
                    purge.setLong(3, Expiry.storedAfter(NOW, maxAge));
                    if (purge.executeUpdate() == 0) {
                        kept.add(queue);
                    }
                }
                c.rollback(); // the next case starts from every row
            }
            assertEquals(deliverableByRule(maxAge), kept, "max age " + maxAge);
        }
    }
}
