package org.mcq.queues.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.mcq.queues.store.derby.Batch;

/** A database failure is told without the data that failed: clients see it, logs print it. */
class StorageExceptionTest {

    /** As PostgreSQL's driver words a failed batch: the statement with its values, then the server's error. */
    @Test
    void aBatchErrorTellsTheServersFirstLineNotTheStatementWithItsValues() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO MESSAGES (QUEUE_ID, BODY) "
                + "VALUES (('7'::int8), ('\\x7365637265742d626f6479'::bytea)) was aborted: ERROR: permission denied "
                + "for table messages  Call getNextException to see other errors in the batch.", "42501", new int[0]);
        batch.setNextException(new SQLException("ERROR: new row violates a check constraint\n"
                + "  Detail: Failing row contains (7, secret-body).", "23514"));

        StorageException e = StorageException.database("write failed", batch);

        assertEquals("write failed: ERROR: new row violates a check constraint (SQLState 23514)", e.getMessage());
        assertNull(e.getCause(), "the driver's exception, whose message holds the row, is not kept");
    }

    @Test
    void aBatchErrorWithNothingBehindItIsNamedWithoutItsStatement() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO MESSAGES VALUES ('secret') "
                + "was aborted: An I/O error occurred while sending to the backend.", "08006", new int[0]);

        String reason = StorageException.reason(batch);

        assertEquals("the database refused the batch (SQLState 08006)", reason);
        assertFalse(reason.contains("secret"));
    }

    @Test
    void aDriversOwnCauseIsFollowedAndALongMessageCut() {
        SQLException outer = new SQLException("outer", "08001", new SQLException("x".repeat(1000), "08001"));

        String reason = StorageException.reason(outer);

        assertEquals("x".repeat(300) + "… (SQLState 08001)", reason);
    }
}
