package org.mcq.queues.api;

import java.nio.file.Path;

/**
 * The queues as the {@code Queues} bean runs them, once a {@link Store} started them: on this
 * server's own Derby database or on a PostgreSQL database several servers share.
 */
public interface QueueService {

    /** What the start's log line says of the queues and where they are, in a few words. */
    String description();

    /** The route for every queue operation; thread-safe. */
    QueueOperations operations();

    /** Tells {@code observer} of every batch written from now on. */
    void observe(CommitObserver observer);

    /** Messages waiting in all queues. */
    long depth() throws StorageException;

    /** Why writes fail, or null while they succeed. */
    String failure();

    /** Throws if the database does not answer a query. */
    void ping() throws StorageException;

    /**
     * Copies the database, as of one moment, into {@code directory} while clients go on; the path of
     * the copy, which a server may be started on.
     *
     * @throws UnsupportedOperationException where the database is not this server's to copy
     */
    Path backup(Path directory) throws StorageException;

    /** Whether the writing threads run. */
    boolean alive();

    /** Stops taking work, writes everything it acknowledged, and lets go of its threads' work. */
    void stop() throws InterruptedException;
}
