package org.mcq.queues.api;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

/** The database could not do what was asked; nothing of the failed operation was acknowledged. */
public class StorageException extends Exception {

    private static final long serialVersionUID = 1L;
    private static final int LONGEST_REASON = 300;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code what} failed in the database, told with a reason that carries no data: clients see the
     * message and logs print it, and a driver's own message may hold the statement with its values
     * (PostgreSQL's batch errors show each row, bodies included, and its server errors' detail the
     * failing row). So the driver's exception is not kept as the cause either.
     */
    public static StorageException database(String what, SQLException e) {
        return new StorageException(what + ": " + reason(e), null);
    }

    /** The first line of the innermost driver error, never a batch's statement text, with its SQLState. */
    public static String reason(SQLException e) {
        SQLException innermost = e;
        for (SQLException next = e; next != null; next = next.getNextException()) {
            innermost = next;
        }
        while (innermost.getCause() instanceof SQLException cause && cause != innermost) {
            innermost = cause;
        }
        String message = innermost instanceof BatchUpdateException || innermost.getMessage() == null
                ? "the database refused the batch" : innermost.getMessage().lines().findFirst().orElse("").strip();
        if (message.contains("Batch entry") || message.contains("INSERT ") || message.contains("UPDATE ")) {
            message = "the database refused the batch";
        }
        if (message.length() > LONGEST_REASON) {
            message = message.substring(0, LONGEST_REASON) + "…";
        }
        String state = innermost.getSQLState();
        return state == null ? message : message + " (SQLState " + state + ")";
    }
}
