package org.mcq.queues.control;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

/**
 * The named queues: an in-memory index (FIFO of ids, flags and, within the memory budget, bodies)
 * made durable through the {@link GroupCommit} writer.
 *
 * <p>In sync mode a stored message becomes visible to consumers only once its batch is on disk, so
 * nobody can consume what a crash could still lose, and {@code STORED} is only answered then. A
 * consumed message leaves the index at once (two consumers never get the same one) and its deletion
 * is on disk before it is sent. In no-sync mode every effect is immediate and the writer catches up.
 */
public final class QueueSet {

    /** A message handed to a consumer. */
    public record Delivery(long id, long flags, byte[] body) {
    }

    /** One line of {@code stats queue}. */
    public record QueueStats(String name, long stored, long consumed, int size) {
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final CompletableFuture<Delivery> NOTHING = CompletableFuture.completedFuture(null);
    private static final StorageException STOPPING = new StorageException("server is stopping", null);

    /** What {@link #get} yields, as this very instance, when the consumer had no room for the head message. */
    public static final CompletableFuture<Delivery> NO_ROOM = CompletableFuture.completedFuture(null);

    private final ConcurrentHashMap<String, MessageQueue> queues = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();
    private final MessageStore store;
    private final GroupCommit writer;
    private final BodyBudget budget;
    private final Executor reads;
    /** In no-sync mode, makes "change the index, then queue the write" one step, so both see one order. */
    private final Object order = new Object();

    /**
     * @param reads reads evicted bodies back from the store, off the consumer's thread (a selector
     *              thread must never wait for the disk)
     */
    public QueueSet(MessageStore store, Executor completions, Executor reads, boolean sync, long flushIntervalMillis,
                    long memoryBudgetBytes) {
        this.store = store;
        this.reads = reads;
        this.writer = new GroupCommit(store, completions, this::changedCounters, sync, flushIntervalMillis);
        this.budget = new BodyBudget(memoryBudgetBytes);
    }

    /** The writer, whose thread the caller runs. */
    public GroupCommit writer() {
        return writer;
    }

    /** Rebuilds the index from the store; bodies are read back lazily. */
    public void load() throws StorageException {
        for (MessageStore.QueueCounters counters : store.queues()) {
            queues.put(counters.name(), new MessageQueue(counters.name(), counters.stored(), counters.consumed()));
        }
        store.forEachMessage(stored -> {
            queues.computeIfAbsent(stored.queue(), name -> new MessageQueue(name, 0, 0))
                    .restore(new Message(stored.id(), stored.flags(), null, stored.size()));
            lastId.accumulateAndGet(stored.id(), Math::max);
        });
        for (MessageQueue queue : queues.values()) {
            queue.reconcile();
        }
    }

    /** The counters of the queues changed since the last call: {stored, consumed} by name. */
    Map<String, long[]> changedCounters() {
        Map<String, long[]> counters = new HashMap<>();
        for (MessageQueue queue : queues.values()) {
            long[] changed = queue.takeChangedCounters();
            if (changed != null) {
                counters.put(queue.name(), changed);
            }
        }
        return counters;
    }

    /**
     * Stores a message; the stage completes when it may be acknowledged: in sync mode once it is on
     * disk, in no-sync mode at once (unless the writer is so far behind that the caller must wait).
     */
    public CompletableFuture<Void> set(String name, long flags, byte[] body) {
        boolean cached = budget.tryReserve(body.length);
        Insert insert;
        synchronized (order) {
            // ids in submission order, so a queue's messages are in id order in memory and on disk
            Message message = new Message(lastId.incrementAndGet(), flags, body, body.length);
            message.cache(cached);
            insert = new Insert(name, message);
            if (!writer.submit(insert)) {
                insert.failed();
                return insert.done;
            }
            if (!writer.sync()) {
                insert.apply(); // after the submit: a message refused by a stopping writer is never seen
            }
        }
        return writer.sync() || writer.backlogged() ? insert.done : DONE;
    }

    /**
     * Takes the head of a queue; the stage yields null if it is empty or unknown (an unknown queue is
     * not created). In sync mode the stage completes once the removal is on disk, so a message is
     * never sent that a crash could bring back. {@code reserve} is asked for the head's size before
     * it is taken; if it refuses, nothing is taken and the result is {@link #NO_ROOM}. A body beyond
     * the memory budget is read back on the read executor.
     */
    public CompletableFuture<Delivery> get(String name, IntPredicate reserve) {
        MessageQueue queue = queues.get(name);
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
            if (!reserve.test(message.size())) {
                queue.unpoll(message);
                return NO_ROOM;
            }
            consume = new Consume(queue, message);
            // taken before the removal is queued: once written, the body could no longer be read back
            body = message.body();
            if (body != null && !writer.sync() && !writer.submit(consume)) {
                queue.unpoll(message);
                return CompletableFuture.failedFuture(STOPPING);
            }
        }
        if (body != null) {
            return consumed(consume, body);
        }
        // only evicted once its insert was committed, so the row is there until this removal
        return CompletableFuture.supplyAsync(() -> readBack(queue, message), reads).thenCompose(read -> {
            if (!writer.sync() && !writer.submit(consume)) {
                queue.unpoll(message);
                return CompletableFuture.failedFuture(STOPPING);
            }
            return consumed(consume, read);
        });
    }

    private CompletableFuture<Delivery> consumed(Consume consume, byte[] body) {
        Message message = consume.message;
        Delivery delivery = new Delivery(message.id(), message.flags(), body);
        if (!writer.sync()) {
            delivered(message);
            return CompletableFuture.completedFuture(delivery);
        }
        writer.submit(consume);
        return consume.done.thenApply(done -> {
            delivered(message);
            return delivery;
        });
    }

    private void delivered(Message message) {
        if (message.cached()) {
            budget.release(message.size());
        }
    }

    private byte[] readBack(MessageQueue queue, Message message) {
        try {
            byte[] body = store.body(message.id());
            if (body == null) {
                throw new StorageException("message " + message.id() + " is missing from the database", null);
            }
            return body;
        } catch (StorageException e) {
            queue.unpoll(message);
            throw new CompletionException(e);
        }
    }

    /** Drops a queue with all its messages; yields false if there was no such queue. */
    public CompletableFuture<Boolean> delete(String name) {
        if (!queues.containsKey(name)) {
            return CompletableFuture.completedFuture(false);
        }
        Drop drop = new Drop(name);
        return submitInOrder(drop, drop::apply).thenApply(done -> true);
    }

    /** Empties the server: every queue and message is dropped. */
    public CompletableFuture<Void> flushAll() {
        DropAll drop = new DropAll();
        return submitInOrder(drop, drop::apply);
    }

    /** Sync mode: the writer applies the op after its commit. No-sync: applied now, in submission order. */
    private CompletableFuture<Void> submitInOrder(GroupCommit.Op op, Runnable apply) {
        if (writer.sync()) {
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
        List<QueueStats> stats = new ArrayList<>(queues.size());
        for (MessageQueue queue : queues.values()) {
            stats.add(new QueueStats(queue.name(), queue.stored(), queue.consumed(), queue.size()));
        }
        stats.sort(Comparator.comparing(QueueStats::name));
        return stats;
    }

    /** Messages waiting in all queues. */
    public long depth() {
        long depth = 0;
        for (MessageQueue queue : queues.values()) {
            depth += queue.size();
        }
        return depth;
    }

    public int queueCount() {
        return queues.size();
    }

    public long cachedBytes() {
        return budget.used();
    }

    private static long[] idsOf(MessageQueue queue) {
        return queue.snapshot().stream().mapToLong(Message::id).toArray();
    }

    private void release(MessageQueue queue) {
        for (Message message : queue.snapshot()) {
            if (message.cached()) {
                budget.release(message.size());
            }
        }
    }

    /** Stores a message. */
    private final class Insert extends GroupCommit.Op {
        private final String name;
        private final Message message;
        private final byte[] body;

        Insert(String name, Message message) {
            this.name = name;
            this.message = message;
            this.body = message.body();
        }

        void apply() {
            queues.computeIfAbsent(name, n -> new MessageQueue(n, 0, 0)).append(message);
        }

        @Override
        int bytes() {
            return body.length;
        }

        @Override
        void addTo(Batch batch) {
            batch.insert(name, message, body);
        }

        @Override
        void committed() {
            if (writer.sync()) {
                apply();
            }
            if (!message.cached()) {
                message.evict(); // on disk now; the budget has no room for it on the heap
            }
        }

        @Override
        void failed() {
            if (message.cached()) {
                budget.release(message.size());
            }
        }
    }

    /** Removes a consumed message. */
    private final class Consume extends GroupCommit.Op {
        private final MessageQueue queue;
        private final Message message;

        Consume(MessageQueue queue, Message message) {
            this.queue = queue;
            this.message = message;
        }

        @Override
        void addTo(Batch batch) {
            batch.consume(message.id());
        }

        /** A consumer is served even while the database refuses writes; the removal is retried. */
        @Override
        boolean deferrable() {
            return true;
        }
    }

    /** Drops one queue. */
    private final class Drop extends GroupCommit.Op {
        private final String name;
        private long[] ids;

        Drop(String name) {
            this.name = name;
        }

        void apply() {
            MessageQueue queue = queues.remove(name);
            if (queue != null) {
                release(queue);
                if (ids == null) {
                    ids = idsOf(queue);
                }
            }
        }

        @Override
        void addTo(Batch batch) {
            if (ids == null) {
                // sync mode: the queue is still visible and all it holds is committed
                MessageQueue queue = queues.get(name);
                ids = queue == null ? new long[0] : idsOf(queue);
            }
            batch.drop(name, ids);
        }

        @Override
        void committed() {
            if (writer.sync()) {
                apply();
            }
        }
    }

    /** Drops every queue. */
    private final class DropAll extends GroupCommit.Op {
        void apply() {
            for (String name : new ArrayList<>(queues.keySet())) {
                MessageQueue queue = queues.remove(name);
                if (queue != null) {
                    release(queue);
                }
            }
        }

        @Override
        void addTo(Batch batch) {
            batch.dropAll();
        }

        @Override
        void committed() {
            if (writer.sync()) {
                apply();
            }
        }

        @Override
        boolean urgent() {
            return true;
        }
    }
}
