package org.mcq.queues.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Once a second: this server's heartbeat, its counters added to the database, and open reads
 * given back whose timeout passed or whose server went silent (any server may do it: the first
 * to see a lease lapse returns it). Joining and leaving the {@code SERVERS} table too.
 */
final class Housekeeping implements Runnable {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class.getName());

    private final DataSource source;
    private final SharedSettings settings;
    private final Counters counters;
    private final Waiters waiters;
    private final Signals signals;
    private volatile String failure;
    /** When the heartbeat was last written ({@link System#nanoTime}). */
    private volatile long beatAt = System.nanoTime();
    /** When a heartbeat was last written after a silence long enough for the others to take over, or 0. */
    private volatile long silenceEndedAt;

    Housekeeping(DataSource source, SharedSettings settings, Counters counters, Waiters waiters, Signals signals) {
        this.source = source;
        this.settings = settings;
        this.counters = counters;
        this.waiters = waiters;
        this.signals = signals;
    }

    void join() throws SQLException {
        try (Connection c = source.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement join = c.prepareStatement(SharedSql.JOIN)) {
                join.setString(1, settings.serverId());
                join.setString(2, settings.address());
                join.executeUpdate();
            }
        }
    }

    @Override
    public void run() {
        try (Connection c = source.getConnection()) {
            c.setAutoCommit(false);
            beat(c);
            counters.write(c);
            returned(reclaim(c));
            signals.want(waiters.counts().keySet()); // still waiting: the others keep announcing
            failure = null;
        } catch (SQLException | RuntimeException e) {
            failure = e.getMessage();
            LOG.log(Level.WARNING, "shared-store housekeeping failed; retrying in a second: " + e);
        }
    }

    private void beat(Connection c) throws SQLException {
        try (PreparedStatement beat = c.prepareStatement(SharedSql.HEARTBEAT)) {
            beat.setString(1, settings.serverId());
            if (beat.executeUpdate() == 0) {
                // silent so long that another server forgot it: it joins again (its leases were given back)
                try (PreparedStatement join = c.prepareStatement(SharedSql.JOIN)) {
                    join.setString(1, settings.serverId());
                    join.setString(2, settings.address());
                    join.executeUpdate();
                }
            }
        }
        try (PreparedStatement forget = c.prepareStatement(SharedSql.FORGET_SILENT)) {
            forget.setLong(1, Math.max(settings.takeoverMillis() * 10, 60_000));
            forget.executeUpdate();
        }
        c.commit();
        long now = System.nanoTime();
        if (silent(now)) {
            silenceEndedAt = now;
            LOG.warning("this server's heartbeat was " + (now - beatAt) / 1_000_000 + " ms old (mcq.db.takeover.s is "
                    + settings.takeoverMillis() / 1000 + "): the others may have given its open reads back; a close "
                    + "of one that is gone answers SERVER_ERROR open read lost");
        }
        beatAt = now;
    }

    private Set<String> reclaim(Connection c) throws SQLException {
        Set<String> queues = new TreeSet<>();
        int count = 0;
        try (PreparedStatement reclaim = c.prepareStatement(SharedSql.RECLAIM)) {
            reclaim.setLong(1, settings.takeoverMillis());
            try (ResultSet rs = reclaim.executeQuery()) {
                while (rs.next()) {
                    queues.add(rs.getString(1));
                    count++;
                }
            }
        }
        c.commit();
        if (count > 0) {
            LOG.info("gave back " + count + " open reads that timed out or whose server stopped, in " + queues);
        }
        return queues;
    }

    private void returned(Set<String> queues) {
        if (!queues.isEmpty()) {
            queues.forEach(waiters::arrived);
            signals.announce(queues);
        }
    }

    /** Stopping: counters written, this server's open reads given back, its row removed. */
    void leave() {
        try (Connection c = source.getConnection()) {
            c.setAutoCommit(false);
            counters.write(c);
            Set<String> queues = new TreeSet<>();
            try (PreparedStatement release = c.prepareStatement(SharedSql.RELEASE_MINE)) {
                release.setString(1, settings.serverId());
                try (ResultSet rs = release.executeQuery()) {
                    while (rs.next()) {
                        queues.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement leave = c.prepareStatement(SharedSql.LEAVE)) {
                leave.setString(1, settings.serverId());
                leave.executeUpdate();
            }
            c.commit();
            signals.announce(queues);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "leaving the shared database failed: the others give this server's open reads back "
                    + "once its heartbeat is " + settings.takeoverMillis() + " ms old", e);
        }
    }

    String failure() {
        return failure;
    }

    /**
     * Whether a read taken at {@code takenAtNanos} may have been given back by the others: this server
     * has been silent since for three quarters of the takeover time or more (the margin covers its
     * clock and its last heartbeat's commit; beats come every second), now or before the heartbeat it
     * last wrote.
     */
    boolean mayHaveLost(long takenAtNanos) {
        long ended = silenceEndedAt;
        return silent(System.nanoTime()) || ended != 0 && ended - takenAtNanos > 0;
    }

    private boolean silent(long now) {
        return now - beatAt > settings.takeoverMillis() * 750_000;
    }
}
