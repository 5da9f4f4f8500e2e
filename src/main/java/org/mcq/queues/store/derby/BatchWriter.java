package org.mcq.queues.store.derby;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.mcq.queues.api.StorageException;

/**
 * Writes each batch in one transaction, with plain JDBC batches on one connection kept by the
 * writer thread: the hot path pays per row only what Derby costs, and one log force per batch.
 */
final class BatchWriter {

    private static final String INSERT = "INSERT INTO MESSAGES (ID, QUEUE_NAME, FLAGS, BODY, STORED_AT, EXPIRES_AT) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String DELETE = "DELETE FROM MESSAGES WHERE ID = ?";
    private static final String DROP_QUEUE = "DELETE FROM QUEUES WHERE NAME = ?";
    private static final String CLEAR = "DELETE FROM MESSAGES WHERE ID BETWEEN ? AND ?";
    private static final String CLEAR_QUEUE = "DELETE FROM MESSAGES WHERE QUEUE_NAME = ? AND ID BETWEEN ? AND ?";
    private static final String SET_COUNTS = "UPDATE QUEUES SET STORED = ?, CONSUMED = ? WHERE NAME = ?";
    private static final String NEW_QUEUE = "INSERT INTO QUEUES (NAME, STORED, CONSUMED) VALUES (?, ?, ?)";

    private final DataSource writes;
    private Connection writer;

    /** @param writes a non-transactional data source: the writer commits by itself */
    BatchWriter(DataSource writes) {
        this.writes = writes;
    }

    long write(Batch batch) throws StorageException {
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
        // in the names' order, the order of the reports' scans of QUEUES by name (valid names have no
        // character below a blank, so Java's order is Derby's): a scan then waits for a record these
        // updates hold without holding one they want next. The batch's record drops, written before
        // them in their own order, can still meet a scan in a deadlock; DerbyStore.beside reads again
        entries.sort(Map.Entry.comparingByKey());
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

    private Connection writer() throws SQLException {
        if (writer == null) {
            writer = writes.getConnection();
            writer.setAutoCommit(false);
            writer.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        return writer;
    }

    /** Closes the writer's connection; the next write opens a new one. */
    void closeWriter() {
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException ignored) {
                // given up either way, after a failed write or at the stop: a failure to close changes nothing
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
