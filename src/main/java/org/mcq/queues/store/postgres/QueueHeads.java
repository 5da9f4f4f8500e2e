package org.mcq.queues.store.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statements on queues' heads that a batch's reads and its admission into full queues share:
 * both take the head's rows locked by the transaction, and remove those that go.
 */
final class QueueHeads {

    /** The first rows of each queue, as many as it has reads, locked by this transaction: one statement for all. */
    static Map<String, List<long[]>> heads(Connection c, Map<String, List<Take>> wanting) throws SQLException {
        Map<String, List<long[]>> heads = new HashMap<>();
        String[] queues = wanting.keySet().toArray(String[]::new);
        Integer[] counts = new Integer[queues.length];
        for (int i = 0; i < queues.length; i++) {
            counts[i] = wanting.get(queues[i]).size();
        }
        try (PreparedStatement head = c.prepareStatement(SharedSql.HEADS)) {
            head.setArray(1, c.createArrayOf("varchar", queues));
            head.setArray(2, c.createArrayOf("int4", counts));
            try (ResultSet rs = head.executeQuery()) {
                while (rs.next()) {
                    heads.computeIfAbsent(rs.getString(1), q -> new ArrayList<>())
                            .add(new long[]{rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)});
                }
            }
        }
        return heads;
    }

    /** Rows {id, size, stored at, expires at} of the queue's waiting head, locked by this transaction. */
    static List<long[]> head(Connection c, String queue, int limit) throws SQLException {
        List<long[]> rows = new ArrayList<>(limit);
        try (PreparedStatement head = c.prepareStatement(SharedSql.HEAD)) {
            head.setString(1, queue);
            head.setInt(2, limit);
            try (ResultSet rs = head.executeQuery()) {
                while (rs.next()) {
                    rows.add(new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
        }
        return rows;
    }

    static void discard(Connection c, List<Long> ids) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(SharedSql.DISCARD)) {
            delete.setArray(1, ids(c, ids));
            delete.executeUpdate();
        }
    }

    static Array ids(Connection c, java.util.Collection<Long> ids) throws SQLException {
        return c.createArrayOf("bigint", ids.toArray(Long[]::new));
    }

    private QueueHeads() {
    }
}
