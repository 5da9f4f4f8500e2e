package org.mcq.queues.store.derby;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.mcq.queues.api.StorageException;

/**
 * The durable side of the queues, kept narrow so the write path can change without touching the
 * queue logic. Writes arrive only from the group-commit thread, one batch per transaction.
 */
public interface MessageStore {

    /** A queue's counters as last committed. */
    record QueueCounters(String name, long stored, long consumed) {
    }

    /** A stored message without its body; times in ms since the epoch, 0 when unknown or never. */
    record StoredMessage(long id, String queue, long flags, int size, long storedAt, long expiresAt) {
    }

    /**
     * Applies one batch in one transaction and forces it to disk before returning; yields the
     * nanoseconds the commit itself took (the log force, for the metrics).
     */
    long write(Batch batch) throws StorageException;

    /**
     * Up to {@code limit} queue records in name order, those named after {@code after} (null: from
     * the first): a listing of every queue, page by page, from any thread.
     */
    List<QueueCounters> queuesAfter(String after, int limit) throws StorageException;

    /** The records of those of the named queues that have one, by name. */
    Map<String, QueueCounters> counters(Collection<String> names) throws StorageException;

    /** How many queue records there are. */
    long queueCount() throws StorageException;

    /**
     * The records whose queue is not empty by its counters ({@code stored != consumed}): the queues
     * holding messages, and after a crash those whose last counters were not written.
     */
    List<QueueCounters> unsettledQueues() throws StorageException;

    /** The names of the queue records that hold {@code mark}: the fanout subscribers (see {@code Fanout}), put aside or not. */
    List<String> namesHolding(char mark) throws StorageException;

    /** Visits every stored message in id (so FIFO) order. */
    void forEachMessage(Consumer<StoredMessage> visitor) throws StorageException;

    /** Reads the body of a stored message, or null if it is not stored. */
    byte[] body(long id) throws StorageException;

    /** Proves the database answers. */
    void ping() throws StorageException;

    /** Flushes dirty pages and lets the transaction log be truncated (MemcacheQ's db_checkpoint). */
    void checkpoint() throws StorageException;

    /** Lets obsolete transaction logs be removed (db_archive). */
    void archive() throws StorageException;
}
