package org.mcq.queues.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * A batch's confirmations and give-backs of open reads: each holds only while the row is still
 * leased under its token to this server, so one that a timeout or a {@code flush} already ended answers false.
 */
final class LeaseEnds {

    private final SharedSettings settings;
    private final Counters counters;

    LeaseEnds(SharedSettings settings, Counters counters) {
        this.settings = settings;
        this.counters = counters;
    }

    void confirm(Connection c, List<SharedOp.Confirm> confirms, BatchWriter.Outcome outcome) throws SQLException {
        int[] counts = perLease(c, SharedSql.CONFIRM, confirms.stream().map(SharedOp.Confirm::lease).toList());
        for (int i = 0; i < counts.length; i++) {
            SharedOp.Confirm confirm = confirms.get(i);
            boolean held = counts[i] > 0;
            outcome.answers.add(() -> {
                if (held) {
                    counters.consumed(confirm.queue(), 1);
                }
                confirm.done().complete(held);
            });
        }
    }

    void release(Connection c, List<SharedOp.Release> releases, BatchWriter.Outcome outcome) throws SQLException {
        int[] counts = perLease(c, SharedSql.RELEASE, releases.stream().map(SharedOp.Release::lease).toList());
        for (int i = 0; i < counts.length; i++) {
            SharedOp.Release release = releases.get(i);
            boolean held = counts[i] > 0;
            if (held) {
                outcome.arrivals.add(release.queue());
            }
            outcome.answers.add(() -> release.done().complete(held));
        }
    }

    /** Runs {@code sql} once per lease (id, token, this server); how many rows each touched (0: no longer held). */
    private int[] perLease(Connection c, String sql, List<Lease> openReads) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (Lease lease : openReads) {
                statement.setLong(1, lease.id());
                statement.setLong(2, lease.token());
                statement.setString(3, settings.serverId());
                statement.addBatch();
            }
            return statement.executeBatch();
        }
    }
}
