package org.mcq.queues.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.rules.Expiry;

/**
 * What the shared store answers outside the lanes: reports over every server's messages (the
 * database's counts plus this server's counters not yet written) and the changes that act on a
 * whole queue (purge, drop), each in its own transaction.
 */
final class SharedReads {

    /** Totals of the whole database. */
    record Totals(int queues, long messages, int openReads) {
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource source;
    private final Counters counters;

    SharedReads(DataSource source, Counters counters) {
        this.source = source;
        this.counters = counters;
    }

    private <T> T inTransaction(Work<T> work) throws StorageException {
        try (Connection c = source.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw StorageException.database("database", e);
        }
    }

    /** Every queue (or the named ones), with this server's waiting reads. */
    List<QueueDump> dump(List<String> names, Map<String, Integer> waiters) throws StorageException {
        Set<String> wanted = names.isEmpty() ? null : new HashSet<>(names);
        return inTransaction(c -> {
            counters.write(c); // a queue this server just made has its row
            try (PreparedStatement s = c.prepareStatement(wanted == null ? SharedSql.DUMP : SharedSql.DUMP_NAMED)) {
                if (wanted != null) {
                    s.setArray(1, c.createArrayOf("varchar", wanted.toArray()));
                }
                return dumps(s, waiters);
            }
        });
    }

    /** The {@code limit} deepest queues holding waiting rows, deepest first, ties by name. */
    List<QueueDump> deepest(int limit, Map<String, Integer> waiters) throws StorageException {
        return inTransaction(c -> {
            counters.write(c);
            List<String> names = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(SharedSql.DEEPEST)) {
                s.setInt(1, limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
            if (names.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement s = c.prepareStatement(SharedSql.DUMP_NAMED)) {
                s.setArray(1, c.createArrayOf("varchar", names.toArray()));
                List<QueueDump> deepest = new ArrayList<>(dumps(s, waiters));
                deepest.sort(Comparator.comparingInt(QueueDump::items).reversed()
                        .thenComparing(QueueDump::name));
                return deepest;
            }
        });
    }

    /** Up to {@code limit} queues named after {@code after} ("" for the first page), by name. */
    List<QueueDump> dumpPage(String after, int limit, Map<String, Integer> waiters) throws StorageException {
        return inTransaction(c -> {
            counters.write(c);
            try (PreparedStatement s = c.prepareStatement(SharedSql.DUMP_PAGE)) {
                s.setString(1, after);
                s.setInt(2, limit);
                s.setString(3, after);
                s.setInt(4, limit);
                s.setInt(5, limit);
                return dumps(s, waiters);
            }
        });
    }

    private List<QueueDump> dumps(PreparedStatement s, Map<String, Integer> waiters) throws SQLException {
        long now = System.currentTimeMillis();
        List<QueueDump> dumps = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                long[] unwritten = counters.unwritten(name);
                long[] dropped = counters.dropped(name);
                long oldest = rs.getLong(6);
                dumps.add(new QueueDump(name, rs.getInt(4), rs.getLong(5), oldest > 0 ? now - oldest : 0,
                        rs.getInt(7), waiters.getOrDefault(name, 0), dropped[0], dropped[1],
                        rs.getLong(2) + unwritten[0], rs.getLong(3) + unwritten[1]));
            }
        }
        return dumps;
    }

    Totals totals() throws StorageException {
        return inTransaction(c -> {
            counters.write(c);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SharedSql.TOTALS)) {
                rs.next();
                return new Totals(rs.getInt(1), rs.getLong(2), rs.getInt(3));
            }
        });
    }

    List<Long> headIds(String queue, int limit) throws StorageException {
        return inTransaction(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement head = c.prepareStatement(SharedSql.HEAD_IDS)) {
                head.setString(1, queue);
                head.setInt(2, limit);
                try (ResultSet rs = head.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return ids;
        });
    }

    /** Of these open reads, the ones whose rows this server no longer holds. */
    List<Lease> lost(List<Lease> openReads, String serverId) throws StorageException {
        if (openReads.isEmpty()) {
            return List.of();
        }
        return inTransaction(c -> {
            Set<List<Long>> held = new HashSet<>();
            try (PreparedStatement still = c.prepareStatement(SharedSql.STILL_LEASED)) {
                still.setArray(1, c.createArrayOf("bigint", openReads.stream().map(Lease::id).toArray(Long[]::new)));
                still.setString(2, serverId);
                try (ResultSet rs = still.executeQuery()) {
                    while (rs.next()) {
                        held.add(List.of(rs.getLong(1), rs.getLong(2)));
                    }
                }
            }
            return openReads.stream().filter(lease -> !held.contains(List.of(lease.id(), lease.token()))).toList();
        });
    }

    /** Removes every message of the queue, open reads too; how many. */
    int purge(String queue) throws StorageException {
        return inTransaction(c -> update(c, SharedSql.PURGE, queue));
    }

    /** Removes the queue's waiting messages that expired or are older than {@code maxAgeMillis} (0: no limit); how many. */
    int purgeExpired(String queue, long now, long maxAgeMillis) throws StorageException {
        return inTransaction(c -> {
            try (PreparedStatement purge = c.prepareStatement(SharedSql.PURGE_EXPIRED)) {
                purge.setString(1, queue);
                purge.setLong(2, now);
                purge.setLong(3, Expiry.storedAfter(now, maxAgeMillis));
                return purge.executeUpdate();
            }
        });
    }

    /** Drops the queue with its waiting messages and counters (reads open on it stay open); whether it existed. */
    boolean drop(String queue) throws StorageException {
        // the record first: a batch copying to this subscriber holds it (SharedSql.SUBSCRIBERS) until it
        // commits, and the rows are deleted after, copies included
        boolean existed = inTransaction(c -> update(c, SharedSql.DROP_QUEUE, queue) + update(c, SharedSql.DROP_WAITING, queue) > 0);
        counters.forget(queue);
        return existed;
    }

    /** Drops every queue and waiting message; reads open stay open. */
    void dropAll() throws StorageException {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM QUEUES"); // first, as drop's
                s.executeUpdate(SharedSql.DROP_ALL_WAITING);
            }
            return null;
        });
        counters.forgetAll();
    }

    void ping() throws StorageException {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.setQueryTimeout(5);
                s.executeQuery("SELECT 1").close();
            }
            return null;
        });
    }

    /** PostgreSQL's CHECKPOINT: allowed to superusers and members of pg_checkpoint only. */
    void checkpoint() throws StorageException {
        try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("CHECKPOINT");
        } catch (SQLException e) {
            throw StorageException.database("checkpoint", e);
        }
    }

    private static int update(Connection c, String sql, String queue) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(sql)) {
            update.setString(1, queue);
            return update.executeUpdate();
        }
    }

    /** Creates what the entities cannot: the sequence and the indexes. */
    void createSchema() throws StorageException {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                // servers starting together: one makes them, the others then find them
                s.execute("SELECT PG_ADVISORY_XACT_LOCK(7266339)");
                for (String ddl : SharedSql.SCHEMA) {
                    s.execute(ddl);
                }
            }
            return null;
        });
    }
}
