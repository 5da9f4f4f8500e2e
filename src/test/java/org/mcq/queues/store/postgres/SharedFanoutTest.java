package org.mcq.queues.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mcq.model.Wire.call;
import static org.mcq.model.Wire.line;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcq.model.Link;
import org.mcq.model.Wire;
import org.mcq.queues.rules.Fanout;
import org.mcq.queues.rules.QueueLimits;

/**
 * Fanout queues in the shared store, on a private PostgreSQL: a subscriber made through one server
 * gets the copies of sets through another; its SQL names the subscribers {@link Fanout} names.
 */
class SharedFanoutTest {

    private static SharedEngine.Database database;

    @BeforeAll
    static void createDatabase() throws Exception {
        database = new SharedEngine.Database();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        database.close();
    }

    /** The bodies of a pop loop on the queue, until it is empty. */
    private static List<String> drain(Link link, String queue) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (String reply = call(link, "get " + queue); !reply.equals("END"); reply = call(link, "get " + queue)) {
            bodies.add(line(link.replies()));
            assertEquals("END", line(link.replies()));
        }
        return bodies;
    }

    @Test
    void aSubscriberMadeThroughOneServerGetsTheCopiesOfSetsThroughAnother() throws Exception {
        try (SharedEngine servers = new SharedEngine(database, 2, true, 3,
                name -> name.equals("jobs+full") ? new QueueLimits(1, 0, 0, false) : QueueLimits.NONE);
             Link first = servers.connect(0); Link second = servers.connect(1)) {
            assertEquals("END", call(first, "get jobs+audit"), "made by its first read");
            assertEquals("END", call(first, "get jobs+full"));
            assertEquals("STORED", call(second, "set jobs 0 0 3\r\none"));
            assertEquals("STORED", call(second, "set jobs 0 0 3\r\ntwo"), "stored though jobs+full refuses its copy");
            assertEquals("STORED", call(first, "set jobs+audit 0 0 3\r\nown"));
            assertEquals("STORED", call(first, "set jobs+mail 0 0 5\r\nfirst"), "made by a set");
            assertEquals("STORED", call(second, "set jobs 0 0 5\r\nthree"));

            assertEquals(List.of("one", "two", "three"), drain(first, "jobs"));
            assertEquals(List.of("one", "two", "own", "three"), drain(second, "jobs+audit"));
            assertEquals(List.of("first", "three"), drain(first, "jobs+mail"));
            assertEquals(List.of("one"), drain(second, "jobs+full"), "its limit refused the second copy");

            assertEquals("DELETED", call(first, "delete jobs+audit"));
            assertEquals("STORED", call(second, "set jobs 0 0 4\r\nfour"));
            assertEquals("0", database.cluster.query("SELECT COUNT(*) FROM MESSAGES WHERE QUEUE_NAME = 'jobs+audit'"),
                    "a deleted subscriber gets no more copies");
            assertEquals(List.of("four"), drain(first, "jobs+mail"));
            // a report writes the server's pending counts first: those of jobs+audit's copies and pops
            Wire.lines(first, "stats queue");
            Wire.lines(second, "stats queue");
            assertEquals("0", database.cluster.query("SELECT COUNT(*) FROM QUEUES WHERE NAME = 'jobs+audit'"),
                    "counts pending on a server do not make a deleted subscriber again");
            assertEquals("OK", call(first, "flush_all"));
            assertEquals("STORED", call(second, "set jobs 0 0 4\r\nfive"));
            assertEquals("1", database.cluster.query("SELECT COUNT(*) FROM MESSAGES"), "flush_all dropped the subscribers");
        }
    }

    @Test
    void theSqlNamesTheSubscribersTheRuleNames() throws Exception {
        List<String> names = List.of("a", "a+", "+a", "a+b", "a++b", "a+b+c", "ab+c", "a+b c", "b+a", "aa+x");
        Map<String, List<String>> expected = new TreeMap<>();
        for (String name : names) {
            String parent = Fanout.parentOf(name);
            if (parent != null) {
                expected.computeIfAbsent(parent, p -> new ArrayList<>()).add(name);
            }
        }
        expected.values().forEach(list -> list.sort(null));
        Map<String, List<String>> found = new TreeMap<>();
        try (Connection c = database.source.getConnection()) {
            c.setAutoCommit(true);
            try (Statement schema = c.createStatement()) {
                for (String statement : SharedSql.SCHEMA) {
                    schema.executeUpdate(statement);
                }
                schema.executeUpdate("DELETE FROM QUEUES");
            }
            try (PreparedStatement record = c.prepareStatement(SharedSql.RECORD)) {
                record.setArray(1, c.createArrayOf("varchar", names.toArray(String[]::new)));
                record.executeUpdate();
            }
            try (PreparedStatement query = c.prepareStatement(SharedSql.SUBSCRIBERS)) {
                query.setArray(1, c.createArrayOf("varchar", new String[]{"a", "", "ab", "b", "aa", "+a"}));
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        found.computeIfAbsent(rs.getString(1), p -> new ArrayList<>()).add(rs.getString(2));
                    }
                }
            }
            try (Statement clean = c.createStatement()) {
                clean.executeUpdate("DELETE FROM QUEUES");
            }
        }
        assertEquals(expected, found);
    }
}
