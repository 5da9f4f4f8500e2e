package org.mcq.queues.control;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The queue operations and the order they take effect in: the {@link QueueIndex} made durable
 * through the {@link GroupCommit} writer, with bodies kept or read back by {@link Bodies}.
 *
 * <p>In sync mode a stored message becomes visible to consumers only once its batch is on disk, so
 * nobody can consume what a crash could still lose, and {@code STORED} is only answered then. A
 * consumed message leaves the index at once (two consumers never get the same one) and its deletion
 * is on disk before it is sent. In no-sync mode every effect is immediate and the writer catches up.
 * Once the writer stops, operations are refused rather than acknowledged and dropped.
 */
public final class QueueSet {

    /** A message handed to a consumer. */
    public record Delivery(long id, long flags, byte[] body) {
    }

    /** One line of {@code stats queue}. */
    public record QueueStats(String name, long stored, long consumed, int size) {
    }

    /**
     * @param sync                  {@code STORED} once on disk, or at once (MemcacheQ's -N)
     * @param flushIntervalMillis   in no-sync mode, how often the writer commits
     * @param memoryBudgetBytes     bodies kept on the heap; beyond it they are read back from disk
     * @param countersIntervalMillis queue counters written at most this often (0: only at stop)
     */
    public record Settings(boolean sync, long flushIntervalMillis, long memoryBudgetBytes, long countersIntervalMillis) {
    }

    /**
     * Room a consumer keeps for the bodies it takes (a connection's reply memory): reserved before a
     * message is taken, released by {@link #get} if the message is not delivered after all.
     */
    public interface Room {
        Room UNLIMITED = new Room() {
            @Override
            public boolean reserve(int bytes) {
                return true;
            }

            @Override
            public void release(int bytes) {
            }
        };

        boolean reserve(int bytes);

        void release(int bytes);
    }

    /** What {@link #get} yields, as this very instance, when the consumer had no room for the head message. */
    public static final CompletableFuture<Delivery> NO_ROOM = CompletableFuture.completedFuture(null);

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final CompletableFuture<Delivery> NOTHING = CompletableFuture.completedFuture(null);
    private static final StorageException STOPPING = new StorageException("server is stopping", null);

    private final QueueIndex index = new QueueIndex();
    private final MessageStore store;
    private final GroupCommit writer;
    private final Bodies bodies;
    private final boolean sync;
    /** In no-sync mode, makes "change the index, then queue the write" one step, so both see one order. */
    private final Object order = new Object();

    /**
     * @param completions runs the continuations of committed operations (see {@link GroupCommit})
     * @param reads       reads evicted bodies back from the store, off the consumer's thread
     */
    public QueueSet(MessageStore store, Executor completions, Executor reads, Settings settings) {
        this.store = store;
        this.sync = settings.sync();
        this.writer = new GroupCommit(store, completions, new CounterCadence(index::changedCounters,
                settings.countersIntervalMillis()), sync, settings.flushIntervalMillis());
        this.bodies = new Bodies(settings.memoryBudgetBytes(), store, reads);
    }

    /** The writer, whose thread the caller runs. */
    public GroupCommit writer() {
        return writer;
    }

    /** Rebuilds the index from the store; bodies are read back lazily. */
    public void load() throws StorageException {
        index.load(store);
    }

    /**
     * Stores a message; the stage completes when it may be acknowledged: in sync mode once it is on
     * disk, in no-sync mode at once (unless the writer is so far behind that the caller must wait).
     */
    public CompletableFuture<Void> set(String name, long flags, byte[] body) {
        boolean cached = bodies.tryKeep(body.length);
        Insert insert;
        synchronized (order) {
            // ids in submission order, so a queue's messages are in id order in memory and on disk
            Message message = new Message(index.nextId(), flags, body, body.length);
            message.cache(cached);
            insert = new Insert(index, bodies, sync, name, message);
            if (!writer.submit(insert)) {
                insert.failed();
                return insert.done;
            }
            if (!sync) {
                insert.apply(); // after the submit: a message refused by a stopping writer is never seen
            }
        }
        return sync || writer.backlogged() ? insert.done : DONE;
    }

    /**
     * Takes the head of a queue; the stage yields null if it is empty or unknown (an unknown queue is
     * not created). In sync mode the stage completes once the removal is on disk, so a message is
     * never sent that a crash could bring back. {@code room} is asked for the head's size before it
     * is taken; if it refuses, nothing is taken and the result is {@link #NO_ROOM}. If the message
     * cannot be delivered after all (its body cannot be read back, the writer is stopping), it goes
     * back to the head of its queue, its room is released, and the stage fails.
     */
    public CompletableFuture<Delivery> get(String name, Room room) {
        MessageQueue queue = index.get(name);
        if (queue == null) {
            return NOTHING;
        }
        Message message;
        byte[] body;
        Consume consume;
        synchronized (order) {
            message = queue.poll();
            if (message == null) {
                return NOTHING;
            }
            if (!room.reserve(message.size())) {
                queue.unpoll(message);
                return NO_ROOM;
            }
            consume = new Consume(message);
            // taken before the removal is queued: once written, the body could no longer be read back
            body = message.body();
            if (body != null && !sync && !writer.submit(consume)) {
                return undelivered(queue, message, room, STOPPING);
            }
        }
        if (body != null) {
            return consumed(queue, consume, body, room);
        }
        // only evicted once its insert was committed, so the row is there until this removal
        return bodies.readBack(message).handle((read, failure) -> {
            if (failure != null) {
                return undelivered(queue, message, room, failure);
            }
            if (!sync && !writer.submit(consume)) {
                return undelivered(queue, message, room, STOPPING);
            }
            return consumed(queue, consume, read, room);
        }).thenCompose(delivery -> delivery);
    }

    private CompletableFuture<Delivery> consumed(MessageQueue queue, Consume consume, byte[] body, Room room) {
        Message message = consume.message;
        Delivery delivery = new Delivery(message.id(), message.flags(), body);
        if (!sync) {
            bodies.release(message);
            return CompletableFuture.completedFuture(delivery);
        }
        if (!writer.submit(consume)) {
            return undelivered(queue, message, room, STOPPING);
        }
        return consume.done.thenApply(done -> {
            bodies.release(message);
            return delivery;
        });
    }

    /** Puts a taken message back at the head of its queue and gives back its room. */
    private static CompletableFuture<Delivery> undelivered(MessageQueue queue, Message message, Room room,
                                                         Throwable why) {
        queue.unpoll(message);
        room.release(message.size());
        return CompletableFuture.failedFuture(why);
    }

    /** Drops a queue with all its messages; yields false if there was no such queue. */
    public CompletableFuture<Boolean> delete(String name) {
        if (!index.contains(name)) {
            return CompletableFuture.completedFuture(false);
        }
        Drop drop = new Drop(index, bodies, sync, name);
        return submitInOrder(drop, drop::apply).thenApply(done -> true);
    }

    /** Empties the server: every queue and message is dropped. */
    public CompletableFuture<Void> flushAll() {
        DropAll drop = new DropAll(index, bodies, sync);
        return submitInOrder(drop, drop::apply);
    }

    /** Sync mode: the writer applies the op after its commit. No-sync: applied now, in submission order. */
    private CompletableFuture<Void> submitInOrder(WriteOp op, Runnable apply) {
        if (sync) {
            writer.submit(op);
            return op.done;
        }
        synchronized (order) {
            if (!writer.submit(op)) {
                return op.done;
            }
            apply.run();
        }
        return DONE;
    }

    public List<QueueStats> stats() {
        return index.stats();
    }

    /** Messages waiting in all queues. */
    public long depth() {
        return index.depth();
    }

    public int queueCount() {
        return index.size();
    }

    public long cachedBytes() {
        return bodies.used();
    }
}
