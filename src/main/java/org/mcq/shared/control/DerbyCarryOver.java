package org.mcq.shared.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.mcq.queues.control.StorageException;

/**
 * A server that moves from its own Derby database to the shared PostgreSQL one brings its messages
 * along, so none is left behind in silence: at the shared store's start, every message of the Derby
 * database in the data directory is added to the shared database in one transaction, in each queue's
 * order after what the queue already holds there, with each queue's counters; then the Derby
 * database is moved aside (kept, renamed, as a backup), so the next start does not carry it again.
 * A crash in the instant between the commit and the rename would carry them twice: at least once,
 * never lost.
 */
public final class DerbyCarryOver {

    private static final Logger LOG = Logger.getLogger(DerbyCarryOver.class.getName());
    /** Derby's own driver, from the library the application shares with Derby's data sources. */
    private static final String DERBY_DRIVER = "org.apache.derby.iapi.jdbc.AutoloadedDriver";
    private static final int BATCH = 500;

    private DerbyCarryOver() {
    }

    /** What was carried, for the log; null when there was no Derby database there. */
    public record Carried(long messages, int queues, Path keptAs) {
    }

    /**
     * Carries the Derby database in {@code derbyDirectory}, if there is one, into {@code shared}.
     *
     * @throws StorageException if either database fails: nothing is carried, the Derby database stays
     */
    public static Carried carry(Path derbyDirectory, DataSource shared) throws StorageException {
        if (!Files.isRegularFile(derbyDirectory.resolve("service.properties"))) {
            return null;
        }
        Driver derby;
        try {
            derby = (Driver) Class.forName(DERBY_DRIVER, true, DerbyCarryOver.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new StorageException("cannot read the Derby database in " + derbyDirectory
                    + " to carry its messages over: Derby's driver is not there (" + e + ")", null);
        }
        String url = "jdbc:derby:" + derbyDirectory.toAbsolutePath();
        long messages;
        Map<String, long[]> queues;
        try (Connection from = derby.connect(url, new Properties()); Connection to = shared.getConnection()) {
            queues = counters(from);
            to.setAutoCommit(false);
            try {
                messages = copyMessages(from, to, queues);
                addCounters(to, queues);
                to.commit();
            } catch (SQLException e) {
                to.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw StorageException.database("carrying the messages of the Derby database in " + derbyDirectory
                    + " over failed (it stays as it was)", e);
        } finally {
            shutDown(derby, url);
        }
        Path keptAs = derbyDirectory.resolveSibling(derbyDirectory.getFileName() + ".carried-to-postgresql-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()));
        try {
            Files.move(derbyDirectory, keptAs);
        } catch (IOException e) {
            throw new StorageException("carried the messages of the Derby database in " + derbyDirectory
                    + " over, but could not move it aside (" + e.getMessage() + "): move it before the next start, "
                    + "or it is carried again", null);
        }
        Carried carried = new Carried(messages, queues.size(), keptAs);
        LOG.info("mcq carried " + messages + " messages of " + queues.size() + " queues from the Derby database in "
                + derbyDirectory + " into the shared database; the Derby database is kept as " + keptAs);
        return carried;
    }

    /** Each queue's stored count as Derby kept it, and its waiting messages: {stored, waiting}. */
    private static Map<String, long[]> counters(Connection from) throws SQLException {
        Map<String, long[]> queues = new LinkedHashMap<>();
        try (Statement s = from.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT NAME, STORED FROM QUEUES")) {
                while (rs.next()) {
                    queues.put(rs.getString(1), new long[]{rs.getLong(2), 0});
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT QUEUE_NAME, COUNT(*) FROM MESSAGES GROUP BY QUEUE_NAME")) {
                while (rs.next()) {
                    queues.computeIfAbsent(rs.getString(1), name -> new long[2])[1] = rs.getLong(2);
                }
            }
        }
        return queues;
    }

    private static long copyMessages(Connection from, Connection to, Map<String, long[]> queues) throws SQLException {
        long copied = 0;
        try (Statement read = from.createStatement();
             ResultSet rs = read.executeQuery("SELECT QUEUE_NAME, FLAGS, BODY, STORED_AT, EXPIRES_AT FROM MESSAGES ORDER BY ID");
             PreparedStatement write = to.prepareStatement(SharedSql.INSERT)) {
            while (rs.next()) {
                write.setString(1, rs.getString(1));
                write.setLong(2, rs.getLong(2));
                write.setBytes(3, rs.getBytes(3));
                write.setObject(4, rs.getObject(4), java.sql.Types.BIGINT);
                write.setObject(5, rs.getObject(5), java.sql.Types.BIGINT);
                write.addBatch();
                if (++copied % BATCH == 0) {
                    write.executeBatch();
                }
            }
            write.executeBatch();
        }
        return copied;
    }

    /** Stored as Derby counted it (never fewer than wait), consumed the rest: stored − consumed is what waits. */
    private static void addCounters(Connection to, Map<String, long[]> queues) throws SQLException {
        try (PreparedStatement add = to.prepareStatement(SharedSql.ADD_COUNTS)) {
            for (Map.Entry<String, long[]> queue : queues.entrySet()) {
                long stored = Math.max(queue.getValue()[0], queue.getValue()[1]);
                add.setString(1, queue.getKey());
                add.setLong(2, stored);
                add.setLong(3, stored - queue.getValue()[1]);
                add.addBatch();
            }
            add.executeBatch();
        }
    }

    /** Closes the Derby database, so its directory may be moved; Derby answers a clean shutdown with an exception. */
    private static void shutDown(Driver derby, String url) {
        try (Connection ignored = derby.connect(url + ";shutdown=true", new Properties())) {
            LOG.fine("Derby did not say it shut down");
        } catch (SQLException expected) {
            // 08006: the database was shut down
        }
    }
}
