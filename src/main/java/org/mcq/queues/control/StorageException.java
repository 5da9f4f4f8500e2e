package org.mcq.queues.control;

/** The database could not do what was asked; nothing of the failed operation was acknowledged. */
public class StorageException extends Exception {

    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
