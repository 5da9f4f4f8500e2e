package org.mcq.queues.store.derby;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.mcq.queues.api.StorageException;

/**
 * The message tables in embedded Derby (mapped by the JPA entities, which also create them).
 * Batches are written with plain JDBC batches on one connection kept by the writer thread: the
 * hot path pays per row only what Derby costs, and one log force per batch.
 */
public final class DerbyStore implements MessageStore {

    private static final String INSERT = "INSERT INTO MESSAGES (ID, QUEUE_NAME, FLAGS, BODY, STORED_AT, EXPIRES_AT) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String DELETE = "DELETE FROM MESSAGES WHERE ID = ?";
    private static final String DROP_QUEUE = "DELETE FROM QUEUES WHERE NAME = ?";
    private static final String CLEAR = "DELETE FROM MESSAGES WHERE ID BETWEEN ? AND ?";
    private static final String CLEAR_QUEUE = "DELETE FROM MESSAGES WHERE QUEUE_NAME = ? AND ID BETWEEN ? AND ?";
    private static final String SET_COUNTS = "UPDATE QUEUES SET STORED = ?, CONSUMED = ? WHERE NAME = ?";
    private static final String NEW_QUEUE = "INSERT INTO QUEUES (NAME, STORED, CONSUMED) VALUES (?, ?, ?)";
    private static final String QUEUES_FIRST = "SELECT NAME, STORED, CONSUMED FROM QUEUES ORDER BY NAME";
    private static final String QUEUES_AFTER = "SELECT NAME, STORED, CONSUMED FROM QUEUES WHERE NAME > ? ORDER BY NAME";
    /** Names looked up in one statement: one probe of the index each, one round of Derby's work for all. */
    private static final int NAMES_PER_LOOKUP = 200;

    private final DataSource writes;
    private final DataSource reads;
    private Connection writer;

    /**
     * @param writes a non-transactional data source: the writer commits by itself
     * @param reads  a data source for reads from worker threads
     */
    public DerbyStore(DataSource writes, DataSource reads) {
        this.writes = writes;
        this.reads = reads;
    }

    @Override
    public long write(Batch batch) throws StorageException {
        try {
            Connection c = writer();
            try {
                apply(c, batch);
                long began = System.nanoTime();
                c.commit();
                return System.nanoTime() - began;
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            closeWriter();
            throw StorageException.database("write failed", e);
        }
    }

    private static void apply(Connection c, Batch batch) throws SQLException {
        boolean[] found = new boolean[batch.recordDrops().size()];
        long deleted = dropRecords(c, batch.recordDrops(), found);
        if (!batch.cleared().isEmpty()) {
            clear(c, batch.cleared());
        }
        if (!batch.deletes().isEmpty()) {
            try (PreparedStatement delete = c.prepareStatement(DELETE)) {
                for (long id : batch.deletes()) {
                    delete.setLong(1, id);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
        }
        if (batch.insertCount() > 0) {
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                for (Batch.Insert message : batch.inserts()) {
                    insert.setLong(1, message.id());
                    insert.setString(2, message.queue());
                    insert.setLong(3, message.flags());
                    insert.setBytes(4, message.body());
                    insert.setLong(5, message.storedAt());
                    insert.setLong(6, message.expiresAt());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        long made = batch.counters().isEmpty() ? 0 : writeCounters(c, batch.counters());
        batch.recorded(made, deleted, found);
    }

    /**
     * Deletes the dropped queues' records in the drops' order (null: every record), runs of single
     * queues in one JDBC batch; tells in {@code found} which drop deleted one. Yields how many went.
     */
    private static long dropRecords(Connection c, List<String> drops, boolean[] found) throws SQLException {
        long deleted = 0;
        int from = 0;
        while (from < drops.size()) {
            if (drops.get(from) == null) {
                try (Statement s = c.createStatement()) {
                    int count = s.executeUpdate("DELETE FROM QUEUES");
                    deleted += count;
                    found[from++] = count > 0;
                }
                continue;
            }
            int to = from;
            try (PreparedStatement queues = c.prepareStatement(DROP_QUEUE)) {
                for (; to < drops.size() && drops.get(to) != null; to++) {
                    queues.setString(1, drops.get(to));
                    queues.addBatch();
                }
                int[] counts = queues.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    deleted += counts[i];
                    found[from + i] = counts[i] > 0;
                }
            }
            from = to;
        }
        return deleted;
    }

    /** Deletes the dropped queues' rows, range by range (around the rows read open, which stay). */
    private static void clear(Connection c, List<Batch.Cleared> cleared) throws SQLException {
        try (PreparedStatement all = c.prepareStatement(CLEAR);
             PreparedStatement queue = c.prepareStatement(CLEAR_QUEUE)) {
            boolean anyAll = false;
            boolean anyQueue = false;
            for (Batch.Cleared rows : cleared) {
                for (long[] range : rows.ranges()) {
                    if (rows.queue() == null) {
                        all.setLong(1, range[0]);
                        all.setLong(2, range[1]);
                        all.addBatch();
                        anyAll = true;
                    } else {
                        queue.setString(1, rows.queue());
                        queue.setLong(2, range[0]);
                        queue.setLong(3, range[1]);
                        queue.addBatch();
                        anyQueue = true;
                    }
                }
            }
            // the two kinds commute: both delete, and neither touches a kept row
            if (anyAll) {
                all.executeBatch();
            }
            if (anyQueue) {
                queue.executeBatch();
            }
        }
    }

    /** Writes the counters, making the records of queues without one; yields how many it made. */
    private static int writeCounters(Connection c, Map<String, long[]> counters) throws SQLException {
        List<Map.Entry<String, long[]>> entries = new ArrayList<>(counters.entrySet());
        int[] updated;
        try (PreparedStatement update = c.prepareStatement(SET_COUNTS)) {
            for (Map.Entry<String, long[]> entry : entries) {
                update.setLong(1, entry.getValue()[0]);
                update.setLong(2, entry.getValue()[1]);
                update.setString(3, entry.getKey());
                update.addBatch();
            }
            updated = update.executeBatch();
        }
        int made = 0;
        try (PreparedStatement create = c.prepareStatement(NEW_QUEUE)) {
            for (int i = 0; i < updated.length; i++) {
                if (updated[i] == 0) {
                    Map.Entry<String, long[]> entry = entries.get(i);
                    create.setString(1, entry.getKey());
                    create.setLong(2, entry.getValue()[0]);
                    create.setLong(3, entry.getValue()[1]);
                    create.addBatch();
                    made++;
                }
            }
            if (made > 0) {
                create.executeBatch();
            }
        }
        return made;
    }

    @Override
    public List<QueueCounters> queuesAfter(String after, int limit) throws StorageException {
        // the primary key's index gives the order and the start: a page costs its rows, wherever it starts
        String sql = after == null ? QUEUES_FIRST : QUEUES_AFTER;
        try (Connection c = reads.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (after != null) {
                s.setString(1, after);
            }
            s.setMaxRows(limit);
            return counters(s, limit);
        } catch (SQLException e) {
            throw StorageException.database("reading queues failed", e);
        }
    }

    @Override
    public Map<String, QueueCounters> counters(Collection<String> names) throws StorageException {
        Map<String, QueueCounters> found = new HashMap<>();
        List<String> all = new ArrayList<>(names);
        try (Connection c = reads.getConnection()) {
            for (int from = 0; from < all.size(); from += NAMES_PER_LOOKUP) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + NAMES_PER_LOOKUP));
                String sql = "SELECT NAME, STORED, CONSUMED FROM QUEUES WHERE NAME IN ("
                        + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    for (int i = 0; i < chunk.size(); i++) {
                        s.setString(i + 1, chunk.get(i));
                    }
                    for (QueueCounters counters : counters(s, chunk.size())) {
                        found.put(counters.name(), counters);
                    }
                }
            }
            return found;
        } catch (SQLException e) {
            throw StorageException.database("reading queues failed", e);
        }
    }

    @Override
    public long queueCount() throws StorageException {
        try (Connection c = reads.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM QUEUES")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw StorageException.database("counting queues failed", e);
        }
    }

    @Override
    public List<QueueCounters> unsettledQueues() throws StorageException {
        try (Connection c = reads.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT NAME, STORED, CONSUMED FROM QUEUES WHERE STORED <> CONSUMED")) {
            return counters(s, 16);
        } catch (SQLException e) {
            throw StorageException.database("reading queues failed", e);
        }
    }

    private static List<QueueCounters> counters(PreparedStatement query, int expected) throws SQLException {
        List<QueueCounters> queues = new ArrayList<>(expected);
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                queues.add(new QueueCounters(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
        }
        return queues;
    }

    @Override
    public void forEachMessage(Consumer<StoredMessage> visitor) throws StorageException {
        try (Connection c = reads.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ID, QUEUE_NAME, FLAGS, LENGTH(BODY), STORED_AT, EXPIRES_AT FROM MESSAGES ORDER BY ID")) {
            while (rs.next()) {
                // getLong reads a NULL (a row from before the columns existed) as 0: unknown, never
                visitor.accept(new StoredMessage(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4),
                        rs.getLong(5), rs.getLong(6)));
            }
        } catch (SQLException e) {
            throw StorageException.database("reading messages failed", e);
        }
    }

    @Override
    public byte[] body(long id) throws StorageException {
        try (Connection c = reads.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT BODY FROM MESSAGES WHERE ID = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        } catch (SQLException e) {
            throw StorageException.database("reading a message failed", e);
        }
    }

    @Override
    public void ping() throws StorageException {
        try (Connection c = reads.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("VALUES 1")) {
            rs.next();
        } catch (SQLException e) {
            throw StorageException.database("database does not answer", e);
        }
    }

    @Override
    public void checkpoint() throws StorageException {
        call("CALL SYSCS_UTIL.SYSCS_CHECKPOINT_DATABASE()");
    }

    /**
     * Derby drops log files it no longer needs at a checkpoint, which is what MemcacheQ's
     * db_archive did for BerkeleyDB's logs. The table is not compressed: Derby reuses the space of
     * consumed rows for new ones, and compressing would lock the table against the writer.
     */
    @Override
    public void archive() throws StorageException {
        checkpoint();
    }

    /**
     * Derby's online backup: a copy of the whole database, consistent as of one moment, in
     * {@code directory} (Derby makes it there under the database's own directory name) while clients
     * go on. A copy of it is a database: the data directory of a server restored from it.
     */
    public void backup(String directory) throws StorageException {
        try (Connection c = reads.getConnection();
             CallableStatement s = c.prepareCall("CALL SYSCS_UTIL.SYSCS_BACKUP_DATABASE(?)")) {
            s.setString(1, directory);
            s.execute();
        } catch (SQLException e) {
            throw StorageException.database("backup failed", e);
        }
    }

    private void call(String sql) throws StorageException {
        try (Connection c = reads.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw StorageException.database(sql + " failed", e);
        }
    }

    private Connection writer() throws SQLException {
        if (writer == null) {
            writer = writes.getConnection();
            writer.setAutoCommit(false);
            writer.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        return writer;
    }

    /** Closes the writer's connection; the next write opens a new one. */
    public void closeWriter() {
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException ignored) {
                // the connection is being discarded because it failed
            }
            writer = null;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the failure being reported is the one that matters
        }
    }
}
