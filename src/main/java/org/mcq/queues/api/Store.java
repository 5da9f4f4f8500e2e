package org.mcq.queues.api;

/**
 * A kind of database the queues can live in, as the {@code Queues} bean starts it: it chooses one by
 * {@code mcq.db} and knows nothing else of it.
 */
public interface Store {

    /**
     * Before anything opens the database: settings its driver reads once, when it boots. Nothing
     * by default.
     */
    default void prepare(StoreSettings settings) {
    }

    /**
     * Opens the queues and starts their threads; the service returned serves at once. A store that
     * fails part-way stops what it started before it throws.
     */
    QueueService start(StoreContext context) throws StorageException;
}
