package org.mcq.queues.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.mcq.queues.rules.Expiry;

/**
 * The fallback behind the announcements ({@link Signals}), run once a second: while reads wait on
 * this server, one query asks which of their queues hold a message a read could be given, and only
 * those queues' waiters try again. An arrival whose announcement was lost (the listener
 * reconnecting, a server stopped between its commit and its notification) reaches its waiters
 * within about a second; a queue where nothing arrived costs no read, however many wait on it.
 * Each waiter used to try again every second instead: 220 reads waiting on empty queues cost 9 reads
 * of the heads and 60 peeks in 3 s, against none now and one query a second ({@code SharedWaitsTest}).
 */
final class MissedArrivals implements Runnable {

    private static final Logger LOG = Logger.getLogger(MissedArrivals.class.getName());

    private final DataSource source;
    private final Waiters waiters;
    private final LimitsByQueue limits;

    MissedArrivals(DataSource source, Waiters waiters, LimitsByQueue limits) {
        this.source = source;
        this.waiters = waiters;
        this.limits = limits;
    }

    @Override
    public void run() {
        Set<String> queues = waiters.queues();
        if (queues.isEmpty()) {
            return; // nobody waits: nothing to ask the database
        }
        try {
            deliverable(queues).forEach(waiters::arrived);
        } catch (SQLException | RuntimeException e) {
            // the housekeeping reports a database that fails; this one tries again in a second
            LOG.log(Level.FINE, "looking for arrivals nobody announced failed", e);
        }
    }

    /** Of these queues, those holding a message a read could be given now. */
    private List<String> deliverable(Set<String> queues) throws SQLException {
        long now = System.currentTimeMillis();
        String[] names = queues.toArray(String[]::new);
        Long[] oldest = new Long[names.length];
        for (int i = 0; i < names.length; i++) {
            oldest[i] = Expiry.storedAfter(now, limits.of(names[i]).maxAgeMillis());
        }
        List<String> found = new ArrayList<>();
        try (Connection c = source.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement deliverable = c.prepareStatement(SharedSql.DELIVERABLE)) {
                deliverable.setArray(1, c.createArrayOf("varchar", names));
                deliverable.setArray(2, c.createArrayOf("int8", oldest));
                deliverable.setLong(3, now);
                try (ResultSet rs = deliverable.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
        }
        return found;
    }
}
