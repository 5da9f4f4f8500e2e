package org.mcq.queues.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcq.queues.api.StorageException;

/**
 * A Derby database's messages go into the shared database once: in order, with their counters,
 * whether the carry-over runs from the start, resumes a claimed database, or finds one already
 * carried; and a database it cannot tell apart from another is refused before anything is copied.
 */
class DerbyCarryOverTest {

    private static SharedEngine.Database shared;

    @TempDir
    Path dir;

    private Path data;

    @BeforeAll
    static void sharedDatabase() throws Exception {
        shared = new SharedEngine.Database();
        try (Connection c = shared.source.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (String statement : SharedSql.SCHEMA) {
                s.execute(statement);
            }
        }
    }

    @AfterAll
    static void close() throws Exception {
        shared.close();
    }

    @BeforeEach
    void derbyDatabaseWithMessages() throws Exception {
        shared.clear();
        data = dir.resolve("data");
        EntityManagerFactory jpa = Persistence.createEntityManagerFactory("mcq-component",
                Map.of("jakarta.persistence.jdbc.url", "jdbc:derby:" + data + ";create=true"));
        jpa.createEntityManager().close(); // the tables, from the entities
        jpa.close();
        try (Connection c = DriverManager.getConnection("jdbc:derby:" + data);
             PreparedStatement insert = c.prepareStatement("INSERT INTO MESSAGES (ID, QUEUE_NAME, FLAGS, BODY, STORED_AT, "
                     + "EXPIRES_AT) VALUES (?, ?, ?, ?, ?, ?)");
             Statement s = c.createStatement()) {
            String[][] rows = {{"jobs", "job 1"}, {"mail", "hello"}, {"jobs", "job 2"}, {"jobs", "job 3"}};
            for (int i = 0; i < rows.length; i++) {
                insert.setLong(1, 10 + i);
                insert.setString(2, rows[i][0]);
                insert.setLong(3, i);
                insert.setBytes(4, rows[i][1].getBytes());
                insert.setLong(5, 1_700_000_000_000L + i);
                insert.setObject(6, i == 3 ? 1_800_000_000_000L : null, java.sql.Types.BIGINT);
                insert.executeUpdate();
            }
            s.executeUpdate("INSERT INTO QUEUES (NAME, STORED, CONSUMED) VALUES ('jobs', 7, 4), ('empty', 2, 2)");
        }
        shutDown(data);
    }

    @Test
    void everyMessageIsCarriedInOrderWithItsCountersAndTheDatabaseIsKeptAside() throws Exception {
        DerbyCarryOver.Carried carried = DerbyCarryOver.carry(data, shared.source);

        assertEquals(4, carried.messages());
        assertEquals(3, carried.queues());
        assertEquals(List.of("jobs|0|job 1|1700000000000|null", "mail|1|hello|1700000000001|null",
                "jobs|2|job 2|1700000000002|null", "jobs|3|job 3|1700000000003|1800000000000"), sharedRows());
        assertEquals(List.of("empty|2|2", "jobs|7|4", "mail|1|0"), sharedCounters());
        assertTrue(Files.notExists(data));
        assertTrue(carried.keptAs().getFileName().toString().startsWith("data.carried-to-postgresql-"), carried.keptAs().toString());
        assertNull(DerbyCarryOver.carry(data, shared.source), "nothing carried twice");
        assertEquals(4, sharedRows().size());
    }

    @Test
    void aDatabaseClaimedByAStartThatFailedIsCarriedByTheNext() throws Exception {
        Files.move(data, claimed());

        assertEquals(4, DerbyCarryOver.carry(data, shared.source).messages());
        assertEquals(4, sharedRows().size());
        assertEquals(List.of(), leftBeside("carrying"));
    }

    @Test
    void aDatabaseAlreadyCarriedIsOnlyMovedAside() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:derby:" + data); Statement s = c.createStatement()) {
            s.execute("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY('mcq.carried.to.postgresql', 'true')");
        }
        shutDown(data);
        Files.move(data, claimed()); // as a start that committed, marked and failed to rename would leave it

        assertEquals(0, DerbyCarryOver.carry(data, shared.source).messages());
        assertEquals(List.of(), sharedRows());
        assertEquals(1, leftBeside("carried-to-postgresql").size());
    }

    @Test
    void twoDatabasesToCarryAreRefusedBeforeAnythingIsCopied() throws Exception {
        Files.createDirectories(claimed());

        StorageException refused = assertThrows(StorageException.class, () -> DerbyCarryOver.carry(data, shared.source));

        assertTrue(refused.getMessage().contains("two Derby databases"), refused.getMessage());
        assertEquals(List.of(), sharedRows());
        assertTrue(Files.isRegularFile(data.resolve("service.properties")), "left as it was");
    }

    private Path claimed() {
        return dir.resolve("data.carrying-to-postgresql");
    }

    private List<String> leftBeside(String infix) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.contains(infix)).toList();
        }
    }

    private static List<String> sharedRows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = shared.source.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT QUEUE_NAME, FLAGS, BODY, STORED_AT, EXPIRES_AT FROM MESSAGES ORDER BY ID")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "|" + rs.getLong(2) + "|" + new String(rs.getBytes(3)) + "|" + rs.getObject(4)
                        + "|" + rs.getObject(5));
            }
        }
        return rows;
    }

    private static List<String> sharedCounters() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = shared.source.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT NAME, STORED, CONSUMED FROM QUEUES ORDER BY NAME")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getLong(3));
            }
        }
        return rows;
    }

    private static void shutDown(Path database) {
        try {
            DriverManager.getConnection("jdbc:derby:" + database + ";shutdown=true").close();
        } catch (SQLException expected) {
            // 08006: shut down
        }
    }
}
