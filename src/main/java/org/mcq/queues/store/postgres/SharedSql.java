package org.mcq.queues.store.postgres;

import java.util.List;

/**
 * The SQL of the shared store, on the tables the entities map (MESSAGES, QUEUES, SERVERS).
 * Native SQL where JPQL has no word for it: a sequence, {@code FOR UPDATE SKIP LOCKED},
 * {@code RETURNING}, arrays, and PostgreSQL's clock, which every server reads so their clocks
 * need not agree.
 */
final class SharedSql {

    /** The database's clock, ms since the epoch. */
    static final String NOW = "(EXTRACT(EPOCH FROM CLOCK_TIMESTAMP()) * 1000)::BIGINT";

    /**
     * What the entities cannot say: the id sequence (one value at a time, so ids follow commits of
     * one producer in order whichever server it uses) and the indexes pops and lease checks need.
     */
    static final List<String> SCHEMA = List.of(
            "CREATE SEQUENCE IF NOT EXISTS MESSAGE_IDS CACHE 1",
            "CREATE INDEX IF NOT EXISTS MESSAGES_BY_QUEUE ON MESSAGES (QUEUE_NAME, ID)",
            "CREATE INDEX IF NOT EXISTS MESSAGES_LEASED ON MESSAGES (LEASE_OWNER) WHERE LEASE_TOKEN IS NOT NULL",
            "CREATE INDEX IF NOT EXISTS QUEUES_BY_FANOUT ON QUEUES (SPLIT_PART(NAME, '+', 1)) WHERE STRPOS(NAME, '+') > 1");

    /**
     * Of the rows of {@code table} (an alias and its dot, or nothing), those a read may be given
     * ({@code Expiry}'s rule, which {@code ExpirySqlTest} holds this to): not expired at the next
     * {@code ?} (now), not stored at or before {@code storedAfter} ({@code Expiry.storedAfter}).
     */
    private static String deliverable(String table, String storedAfter) {
        return String.format("(%1$sEXPIRES_AT IS NULL OR %1$sEXPIRES_AT <= 0 OR %1$sEXPIRES_AT > ?) "
                + "AND (%1$sSTORED_AT IS NULL OR %1$sSTORED_AT <= 0 OR %1$sSTORED_AT > %2$s)", table, storedAfter);
    }

    static final String INSERT = "INSERT INTO MESSAGES (ID, QUEUE_NAME, FLAGS, BODY, STORED_AT, EXPIRES_AT) "
            + "VALUES (NEXTVAL('MESSAGE_IDS'), ?, ?, ?, ?, ?)";
    /**
     * The fanout subscribers of the named queues ({@code Fanout.parentOf}, which {@code SharedFanoutTest}
     * holds this to), through the partial index of the names holding the mark: rows {queue, subscriber}.
     * Their records are held until the batch commits: a delete of one waits, then finds its copies.
     */
    static final String SUBSCRIBERS = "SELECT SPLIT_PART(NAME, '+', 1), NAME FROM QUEUES WHERE STRPOS(NAME, '+') > 1 "
            + "AND STRPOS(NAME, '+') < LENGTH(NAME) AND SPLIT_PART(NAME, '+', 1) = ANY (?::VARCHAR[]) ORDER BY NAME "
            + "FOR KEY SHARE";
    /**
     * Makes the named queues' records where they have none: a subscriber exists from its first set or
     * read, for every server, once that commits (the counters would make the record a second later).
     */
    static final String RECORD = "INSERT INTO QUEUES (NAME, STORED, CONSUMED) SELECT UNNEST(?::VARCHAR[]), 0, 0 "
            + "ON CONFLICT (NAME) DO NOTHING";
    /** What counts against a queue's limits: its waiting rows (reads open are out of the queue, as on Derby). */
    static final String SIZE = "SELECT COUNT(*), COALESCE(SUM(OCTET_LENGTH(BODY)), 0) FROM MESSAGES "
            + "WHERE QUEUE_NAME = ? AND LEASE_TOKEN IS NULL";
    /** A lock on one queue's name until the transaction ends (the first key keeps it apart from the schema's). */
    static final String LOCK_QUEUE = "SELECT PG_ADVISORY_XACT_LOCK(7266340, HASHTEXT(?))";

    /** The head's waiting rows, locked for this transaction; rows another server is taking are passed over. */
    static final String HEAD = "SELECT ID, OCTET_LENGTH(BODY), STORED_AT, EXPIRES_AT FROM MESSAGES "
            + "WHERE QUEUE_NAME = ? AND LEASE_TOKEN IS NULL ORDER BY ID LIMIT ? FOR UPDATE SKIP LOCKED";
    /** The same for several queues at once, each with its own limit: rows {queue, id, size, stored at, expires at}. */
    static final String HEADS = "SELECT W.Q, M.ID, OCTET_LENGTH(M.BODY), M.STORED_AT, M.EXPIRES_AT "
            + "FROM UNNEST(?::VARCHAR[], ?::INT[]) WITH ORDINALITY AS W(Q, N, I) CROSS JOIN LATERAL "
            + "(SELECT ID, BODY, STORED_AT, EXPIRES_AT FROM MESSAGES WHERE QUEUE_NAME = W.Q AND LEASE_TOKEN IS NULL "
            + "ORDER BY ID LIMIT W.N FOR UPDATE SKIP LOCKED) M ORDER BY W.I, M.ID";
    /** The first deliverable waiting row (now, then the stored-after bound) not among the ids passed over. */
    static final String PEEK = "SELECT ID, FLAGS, BODY FROM MESSAGES WHERE QUEUE_NAME = ? AND LEASE_TOKEN IS NULL "
            + "AND " + deliverable("", "?") + " AND ID <> ALL (?) ORDER BY ID LIMIT 1";
    /**
     * Of the queues reads wait on, those holding a row a read could be given now (as a read judges it:
     * not leased, not expired, not past its queue's max age): the queues, each one's stored-after
     * bound, and now.
     */
    static final String DELIVERABLE = "SELECT W.Q FROM UNNEST(?::VARCHAR[], ?::BIGINT[]) AS W(Q, OLDEST) WHERE EXISTS "
            + "(SELECT 1 FROM MESSAGES M WHERE M.QUEUE_NAME = W.Q AND M.LEASE_TOKEN IS NULL AND "
            + deliverable("M.", "W.OLDEST") + ")";
    static final String POP = "DELETE FROM MESSAGES WHERE ID = ANY (?) RETURNING ID, FLAGS, BODY";
    /** Leases the rows; the timeout parameter null means never. */
    static final String OPEN = "UPDATE MESSAGES SET LEASE_OWNER = ?, LEASE_TOKEN = ?, LEASE_UNTIL = " + NOW + " + ? "
            + "WHERE ID = ANY (?) RETURNING ID, FLAGS, BODY";
    static final String DISCARD = "DELETE FROM MESSAGES WHERE ID = ANY (?)";
    static final String CONFIRM = "DELETE FROM MESSAGES WHERE ID = ? AND LEASE_TOKEN = ? AND LEASE_OWNER = ?";
    static final String RELEASE = "UPDATE MESSAGES SET LEASE_OWNER = NULL, LEASE_TOKEN = NULL, LEASE_UNTIL = NULL "
            + "WHERE ID = ? AND LEASE_TOKEN = ? AND LEASE_OWNER = ?";

    /** Of these rows, the ones this server still holds leased: {id, token}. */
    static final String STILL_LEASED = "SELECT ID, LEASE_TOKEN FROM MESSAGES WHERE ID = ANY (?) AND LEASE_OWNER = ?";

    static final String JOIN = "INSERT INTO SERVERS (ID, ADDRESS, STARTED_AT, HEARTBEAT) VALUES (?, ?, " + NOW + ", " + NOW + ")";
    static final String HEARTBEAT = "UPDATE SERVERS SET HEARTBEAT = " + NOW + " WHERE ID = ?";
    static final String LEAVE = "DELETE FROM SERVERS WHERE ID = ?";
    static final String FORGET_SILENT = "DELETE FROM SERVERS WHERE HEARTBEAT < " + NOW + " - ?";
    /** Leases past their timeout, or held by a server whose heartbeat stopped, go back to waiting. */
    static final String RECLAIM = "UPDATE MESSAGES SET LEASE_OWNER = NULL, LEASE_TOKEN = NULL, LEASE_UNTIL = NULL "
            + "WHERE LEASE_TOKEN IS NOT NULL AND (LEASE_UNTIL < " + NOW + " OR NOT EXISTS (SELECT 1 FROM SERVERS S "
            + "WHERE S.ID = MESSAGES.LEASE_OWNER AND S.HEARTBEAT > " + NOW + " - ?)) RETURNING QUEUE_NAME";
    static final String RELEASE_MINE = "UPDATE MESSAGES SET LEASE_OWNER = NULL, LEASE_TOKEN = NULL, LEASE_UNTIL = NULL "
            + "WHERE LEASE_OWNER = ? AND LEASE_TOKEN IS NOT NULL RETURNING QUEUE_NAME";
    /**
     * A queue's row is made (or its counters added to) by its servers' counters, a second after its
     * first {@code set} at most (or at the next report): a row per batch would cost every batch a statement.
     */
    static final String ADD_COUNTS = "INSERT INTO QUEUES (NAME, STORED, CONSUMED) VALUES (?, ?, ?) ON CONFLICT (NAME) "
            + "DO UPDATE SET STORED = QUEUES.STORED + EXCLUDED.STORED, CONSUMED = QUEUES.CONSUMED + EXCLUDED.CONSUMED";

    /** The same for a queue whose record must already be there (a fanout subscriber's): no row, nothing added. */
    static final String ADD_COUNTS_IF_RECORDED = "UPDATE QUEUES SET STORED = STORED + ?, CONSUMED = CONSUMED + ? WHERE NAME = ?";

    /**
     * Each queue's counters and, of its rows, the waiting ones (count, bytes, oldest) and the leased
     * ones: {@code %s} is where the names come from (all queues: those with a record or with rows).
     */
    private static final String DUMP_OF = "SELECT N.NAME, COALESCE(Q.STORED, 0), COALESCE(Q.CONSUMED, 0), "
            + "COUNT(M.ID) FILTER (WHERE M.LEASE_TOKEN IS NULL), "
            + "COALESCE(SUM(OCTET_LENGTH(M.BODY)) FILTER (WHERE M.LEASE_TOKEN IS NULL), 0), "
            + "MIN(M.STORED_AT) FILTER (WHERE M.LEASE_TOKEN IS NULL), COUNT(M.LEASE_TOKEN) "
            + "FROM %s LEFT JOIN QUEUES Q ON Q.NAME = N.NAME LEFT JOIN MESSAGES M ON M.QUEUE_NAME = N.NAME "
            + "GROUP BY N.NAME, Q.NAME, Q.STORED, Q.CONSUMED HAVING Q.NAME IS NOT NULL OR COUNT(M.ID) > 0 ORDER BY N.NAME";
    static final String DUMP = String.format(DUMP_OF,
            "(SELECT NAME FROM QUEUES UNION SELECT DISTINCT QUEUE_NAME FROM MESSAGES) N");
    /**
     * The same for a page of every queue: the first {@code ?3} names after {@code ?1} (with a record,
     * or with rows: a dropped queue's rows read open stay), each side read in index order up to the
     * page, so listing every queue page by page reads each name about once.
     */
    static final String DUMP_PAGE = String.format(DUMP_OF, "(SELECT NAME FROM ("
            + "(SELECT NAME FROM QUEUES WHERE NAME > ? ORDER BY NAME LIMIT ?) UNION "
            + "(SELECT DISTINCT QUEUE_NAME FROM MESSAGES WHERE QUEUE_NAME > ? ORDER BY QUEUE_NAME LIMIT ?)) U "
            + "ORDER BY NAME LIMIT ?) N");
    /** The names of the {@code ?} queues with the most waiting rows: the metrics' series. */
    static final String DEEPEST = "SELECT QUEUE_NAME FROM MESSAGES WHERE LEASE_TOKEN IS NULL GROUP BY QUEUE_NAME "
            + "ORDER BY COUNT(*) DESC, QUEUE_NAME LIMIT ?";
    /** The same for the named queues only (an array parameter): no scan of the others. */
    static final String DUMP_NAMED = String.format(DUMP_OF, "(SELECT DISTINCT UNNEST(?::VARCHAR[]) AS NAME) N");
    static final String TOTALS = "SELECT (SELECT COUNT(*) FROM QUEUES), (SELECT COUNT(*) FROM MESSAGES), "
            + "(SELECT COUNT(*) FROM MESSAGES WHERE LEASE_TOKEN IS NOT NULL)";
    static final String HEAD_IDS = "SELECT ID FROM MESSAGES WHERE QUEUE_NAME = ? AND LEASE_TOKEN IS NULL ORDER BY ID LIMIT ?";
    static final String PURGE = "DELETE FROM MESSAGES WHERE QUEUE_NAME = ?";
    /** A drop: the waiting rows go; leased ones (read open) stay, to be confirmed or given back. */
    static final String DROP_WAITING = "DELETE FROM MESSAGES WHERE QUEUE_NAME = ? AND LEASE_TOKEN IS NULL";
    static final String DROP_ALL_WAITING = "DELETE FROM MESSAGES WHERE LEASE_TOKEN IS NULL";
    /** A queue's waiting rows that may no longer be delivered (now, then the stored-after bound). */
    static final String PURGE_EXPIRED = "DELETE FROM MESSAGES WHERE QUEUE_NAME = ? AND LEASE_TOKEN IS NULL "
            + "AND NOT (" + deliverable("", "?") + ")";
    static final String DROP_QUEUE = "DELETE FROM QUEUES WHERE NAME = ?";

    private SharedSql() {
    }
}
