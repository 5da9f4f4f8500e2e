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
 * The message tables in embedded Derby (mapped by the JPA entities, which also create them): read
 * here, on connections of the reads' data source; written by {@link BatchWriter}, on the writer's.
 */
public final class DerbyStore implements MessageStore {

    private static final String QUEUES_FIRST = "SELECT NAME, STORED, CONSUMED FROM QUEUES ORDER BY NAME";
    private static final String QUEUES_AFTER = "SELECT NAME, STORED, CONSUMED FROM QUEUES WHERE NAME > ? ORDER BY NAME";
    /** Names looked up in one statement: one probe of the index each, one round of Derby's work for all. */
    private static final int NAMES_PER_LOOKUP = 200;
    /** Derby's SQLState for the victim of a deadlock. */
    private static final String DEADLOCK = "40001";

    private final BatchWriter batches;
    private final DataSource reads;

    /**
     * @param writes a non-transactional data source: the writer commits by itself
     * @param reads  a data source for reads from worker threads
     */
    public DerbyStore(DataSource writes, DataSource reads) {
        this.batches = new BatchWriter(writes);
        this.reads = reads;
    }

    @Override
    public long write(Batch batch) throws StorageException {
        return batches.write(batch);
    }

    @Override
    public List<QueueCounters> queuesAfter(String after, int limit) throws StorageException {
        // the primary key's index gives the order and the start: a page costs its rows, wherever it starts
        String sql = after == null ? QUEUES_FIRST : QUEUES_AFTER;
        return beside("reading queues failed", () -> {
            try (Connection c = reads.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
                if (after != null) {
                    s.setString(1, after);
                }
                s.setMaxRows(limit);
                return counters(s, limit);
            }
        });
    }

    @Override
    public Map<String, QueueCounters> counters(Collection<String> names) throws StorageException {
        List<String> all = new ArrayList<>(names);
        return beside("reading queues failed", () -> {
            Map<String, QueueCounters> found = new HashMap<>();
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
            }
            return found;
        });
    }

    /** A read of the records; it may be chosen as a deadlock's victim, see {@link #beside}. */
    private interface RecordRead<T> {
        T run() throws SQLException;
    }

    /**
     * Runs a read of the queue records beside the writer's batches, again if Derby chose it as the
     * victim of a deadlock: a scan at read committed holds the lock of the row it stands on while it
     * waits for the next, which the writer's batch may hold while it waits for that first one. The
     * read changed nothing, so it may simply be run again.
     */
    private static <T> T beside(String failure, RecordRead<T> read) throws StorageException {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.run();
            } catch (SQLException e) {
                if (attempt == 3 || !DEADLOCK.equals(e.getSQLState())) {
                    throw StorageException.database(failure, e);
                }
            }
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

    @Override
    public List<String> namesHolding(char mark) throws StorageException {
        try (Connection c = reads.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT NAME FROM QUEUES WHERE LOCATE(?, NAME) > 0")) {
            s.setString(1, String.valueOf(mark));
            List<String> names = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
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

    /** Closes the writer's connection; the next write opens a new one. */
    public void closeWriter() {
        batches.closeWriter();
    }
}
