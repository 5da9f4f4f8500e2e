package org.mcq.queues.store.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.mcq.queues.api.StorageException;

/**
 * A server that moves from its own Derby database to the shared PostgreSQL one brings its messages
 * along, so none is left behind in silence. At the shared store's start, a Derby database in the data
 * directory is first claimed (renamed {@code <dir>.carrying-to-postgresql}: if that cannot be done,
 * nothing is copied and the start is refused); its messages are added to the shared database in one
 * transaction, in their order, with each queue's counters; then the Derby database is marked carried
 * (a database property) and kept aside as {@code <dir>.carried-to-postgresql-<time>}. A start that
 * finds a claimed database not marked carried copies it; one marked carried only finishes the
 * rename. A crash between PostgreSQL's commit and Derby's mark (one small commit) would carry the
 * messages twice: at least once, never lost.
 */
public final class DerbyCarryOver {

    private static final Logger LOG = Logger.getLogger(DerbyCarryOver.class.getName());
    /** Derby's own driver, from the library the application shares with Derby's data sources. */
    private static final String DERBY_DRIVER = "org.apache.derby.iapi.jdbc.AutoloadedDriver";
    private static final String CARRIED = "mcq.carried.to.postgresql";
    /** A batch is sent once it holds this many bodies' bytes, or this many rows: bounded memory whatever the bodies. */
    private static final long BATCH_BYTES = 8L * 1024 * 1024;
    private static final int BATCH_ROWS = 500;

    private DerbyCarryOver() {
    }

    /** What was carried, for the log. */
    public record Carried(long messages, int queues, Path keptAs) {
    }

    /**
     * Carries the Derby database in {@code derbyDirectory}, if there is one (or one a start before
     * claimed beside it), into {@code shared}; null if there was none.
     *
     * @throws StorageException if it cannot be claimed, or either database fails: nothing is carried
     */
    public static Carried carry(Path derbyDirectory, DataSource shared) throws StorageException {
        Path claimed = derbyDirectory.resolveSibling(derbyDirectory.getFileName() + ".carrying-to-postgresql");
        boolean found = Files.isRegularFile(derbyDirectory.resolve("service.properties"));
        if (found && Files.exists(claimed)) {
            throw new StorageException("there are two Derby databases to carry over, " + derbyDirectory + " and "
                    + claimed + ": move one of them away", null);
        }
        if (found) {
            try {
                Files.move(derbyDirectory, claimed);
            } catch (IOException e) {
                throw new StorageException("the Derby database in " + derbyDirectory + " holds what this server queued "
                        + "before it moved to PostgreSQL, and cannot be claimed to carry it over (" + e + "): make its "
                        + "parent directory writable by this server's user", null);
            }
        } else if (!Files.isRegularFile(claimed.resolve("service.properties"))) {
            return null;
        }
        Driver derby = derbyDriver(claimed);
        String url = "jdbc:derby:" + claimed.toAbsolutePath();
        long messages = 0;
        int queues = 0;
        try (Connection from = derby.connect(url, new Properties())) {
            if (!"true".equals(property(from, CARRIED))) {
                Map<String, long[]> counters = counters(from);
                queues = counters.size();
                try (Connection to = shared.getConnection()) {
                    to.setAutoCommit(false);
                    try {
                        messages = copyMessages(from, to);
                        addCounters(to, counters);
                        to.commit();
                    } catch (SQLException e) {
                        to.rollback();
                        throw e;
                    }
                }
                try (PreparedStatement mark = from.prepareStatement("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY(?, 'true')")) {
                    mark.setString(1, CARRIED);
                    mark.execute();
                }
            }
        } catch (SQLException e) {
            throw StorageException.database("carrying the messages of the Derby database in " + claimed
                    + " over failed (it stays there, claimed, and the next start tries again)", e);
        } finally {
            shutDown(derby, url);
        }
        Path keptAs = derbyDirectory.resolveSibling(derbyDirectory.getFileName() + ".carried-to-postgresql-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()));
        try {
            Files.move(claimed, keptAs);
        } catch (IOException e) { // marked carried: a later start only renames it
            LOG.log(Level.WARNING, "the carried Derby database stays as " + claimed + ": " + e);
            keptAs = claimed;
        }
        LOG.info("mcq carried " + messages + " messages of " + queues + " queues from the Derby database in "
                + derbyDirectory + " into the shared database; the Derby database is kept as " + keptAs);
        return new Carried(messages, queues, keptAs);
    }

    private static Driver derbyDriver(Path claimed) throws StorageException {
        try {
            return (Driver) Class.forName(DERBY_DRIVER, true, DerbyCarryOver.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new StorageException("cannot read the Derby database in " + claimed
                    + " to carry its messages over: Derby's driver is not there (" + e + ")", null);
        }
    }

    private static String property(Connection from, String name) throws SQLException {
        try (PreparedStatement s = from.prepareStatement("VALUES SYSCS_UTIL.SYSCS_GET_DATABASE_PROPERTY(?)")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
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

    private static long copyMessages(Connection from, Connection to) throws SQLException {
        // a database older than expiry has neither time column: its messages have none
        String storedAt = hasColumn(from, "STORED_AT") ? "STORED_AT" : "CAST(NULL AS BIGINT)";
        String expiresAt = hasColumn(from, "EXPIRES_AT") ? "EXPIRES_AT" : "CAST(NULL AS BIGINT)";
        long copied = 0;
        long batchBytes = 0;
        int batchRows = 0;
        try (Statement read = from.createStatement();
             ResultSet rs = read.executeQuery("SELECT QUEUE_NAME, FLAGS, BODY, " + storedAt + ", " + expiresAt
                     + " FROM MESSAGES ORDER BY ID");
             PreparedStatement write = to.prepareStatement(SharedSql.INSERT)) {
            while (rs.next()) {
                byte[] body = rs.getBytes(3);
                write.setString(1, rs.getString(1));
                write.setLong(2, rs.getLong(2));
                write.setBytes(3, body);
                write.setObject(4, rs.getObject(4), Types.BIGINT);
                write.setObject(5, rs.getObject(5), Types.BIGINT);
                write.addBatch();
                copied++;
                batchBytes += body.length;
                if (++batchRows >= BATCH_ROWS || batchBytes >= BATCH_BYTES) {
                    write.executeBatch();
                    batchRows = 0;
                    batchBytes = 0;
                }
            }
            write.executeBatch();
        }
        return copied;
    }

    private static boolean hasColumn(Connection from, String column) throws SQLException {
        DatabaseMetaData meta = from.getMetaData();
        try (ResultSet rs = meta.getColumns(null, null, "MESSAGES", column.toUpperCase(Locale.ROOT))) {
            return rs.next();
        }
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
