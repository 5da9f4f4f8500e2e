package org.mcq.queues.store.derby;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.rules.Fanout;
import org.mcq.queues.rules.QueueLimits;

/**
 * The in-memory index of the queues in use (FIFO of ids, flags and, within the memory budget,
 * bodies) and the source of message ids, rebuilt from the store at start.
 *
 * <p>An empty queue costs no heap once its counters are on disk: it is put aside, and only its
 * record stays ({@code QUEUES}). A queue per job would otherwise keep one object per name ever used
 * (about 460 bytes each: a million names filled the heap). A queue put aside exists all the same: it
 * is listed and deleted from its record. Made again by name, it counts from nothing until its
 * record is read, when its counters are next written ({@link #changedCounters}).
 */
final class QueueIndex {

    private static final Logger LOG = Logger.getLogger(QueueIndex.class.getName());

    private final ConcurrentHashMap<String, MessageQueue> queues = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();
    private final Function<String, QueueLimits> limits;
    private final MessageStore store;
    /** Queue records on disk as of the last batch written; the writer keeps it. */
    private final AtomicLong records = new AtomicLong();
    /**
     * Names with a drop submitted and not yet written or failed (null: of every queue), how many: a
     * queue made meanwhile starts from nothing, not from the record being dropped. Guarded by itself.
     */
    private final Map<String, Integer> dropping = new HashMap<>();
    /** The fanout subscribers among all queues, those put aside too. */
    private final Subscribers subscribers = new Subscribers();

    /** Whether names holding the fanout mark are subscribers: kept in {@link #subscribers} only then. */
    private final boolean fanout;

    /**
     * @param limits each queue's limits by its name, asked once when the queue is made
     * @param fanout whether sets copy to subscribers: else a name holding the mark is kept nowhere else
     */
    QueueIndex(MessageStore store, Function<String, QueueLimits> limits, boolean fanout) {
        this.store = store;
        this.limits = limits;
        this.fanout = fanout;
    }

    /**
     * Rebuilds the index from the store: the queues holding messages, and those whose counters a
     * crash left behind their messages (reconciled, to be written); bodies are read back lazily.
     * Empty queues stay on disk.
     */
    void load() throws StorageException {
        store.forEachMessage(stored -> {
            queues.computeIfAbsent(stored.queue(), name -> made(new MessageQueue(name, limits.apply(name), false)))
                    .restore(new Message(stored.id(), stored.flags(), null, stored.size(), stored.storedAt(),
                            stored.expiresAt()));
            lastId.accumulateAndGet(stored.id(), Math::max);
        });
        Map<String, MessageStore.QueueCounters> found = store.counters(queues.keySet());
        for (MessageQueue queue : queues.values()) {
            queue.resolveBase(found.get(queue.name()));
        }
        for (MessageStore.QueueCounters record : store.unsettledQueues()) {
            queues.computeIfAbsent(record.name(), name -> made(new MessageQueue(name, record.stored(), record.consumed(),
                    limits.apply(name))));
        }
        if (fanout) {
            store.namesHolding(Fanout.MARK).forEach(subscribers::exists);
        }
        for (MessageQueue queue : queues.values()) {
            queue.reconcile();
        }
        records.set(store.queueCount());
    }

    /** The next message id; callers take it in submission order, so ids are FIFO order. */
    long nextId() {
        return lastId.incrementAndGet();
    }

    MessageQueue get(String name) {
        return queues.get(name);
    }

    boolean contains(String name) {
        return queues.containsKey(name);
    }

    MessageQueue getOrCreate(String name) {
        return queues.computeIfAbsent(name, n -> made(new MessageQueue(n, limits.apply(n), beingDropped(n))));
    }

    private MessageQueue made(MessageQueue queue) {
        if (fanout) {
            subscribers.exists(queue.name());
        }
        return queue;
    }

    /** The highest message id given so far: every set submitted before now has one at most this high. */
    long lastId() {
        return lastId.get();
    }

    /** The fanout subscribers of the queue that exist, in memory or put aside, in name order. */
    List<String> subscribersOf(String name) {
        return subscribers.of(name);
    }

    /**
     * The queue in memory; a fanout subscriber that does not exist yet is made, empty: a subscriber
     * exists from its first read (Kestrel's way), so the sets after it copy to it.
     */
    MessageQueue getOrSubscribe(String name) {
        MessageQueue queue = queues.get(name);
        if (queue == null && Fanout.parentOf(name) != null && !subscribers.has(name)) {
            queue = getOrCreate(name); // its counters are to be written: its record follows within the counters' interval
        }
        return queue;
    }

    /**
     * A drop of the queue (null: every queue) is submitted: a subscriber of that name gets no copy of
     * the sets after it. Yields the subscribers it ended, to {@link #resubscribe} if the drop fails.
     */
    List<String> dropped(String name) {
        return subscribers.dropped(name);
    }

    /**
     * A drop failed (and was told {@link #dropEnded}): the subscribers it ended exist after all, their
     * records still there; but for those another drop under way ends anyway.
     */
    void resubscribe(List<String> names) {
        for (String name : names) {
            if (!beingDropped(name)) {
                subscribers.exists(name);
            }
        }
    }

    /** Puts back a queue whose drop failed, merged into one made since under its name. */
    void reinstate(MessageQueue queue) {
        if (fanout) {
            subscribers.exists(queue.name());
        }
        queues.merge(queue.name(), queue, (current, dropped) -> {
            current.absorb(dropped);
            return current;
        });
    }

    MessageQueue remove(String name) {
        return queues.remove(name);
    }

    Collection<MessageQueue> all() {
        return queues.values();
    }

    /** A drop of the queue (null: of every queue) is submitted. */
    void dropping(String name) {
        synchronized (dropping) {
            dropping.merge(name == null ? "" : name, 1, Integer::sum);
        }
    }

    /**
     * Writer thread, building a batch that deletes these queue records (null: every record) before
     * it writes counters: the queues of those names in memory now were made since their drop took
     * them out, and may have had their counters written already, in a batch before this one. Their
     * counters go into this batch again, after the delete; else a last batch would leave them with
     * no record at all.
     */
    void recordsDeletedBy(List<String> drops) {
        for (String name : drops) {
            for (MessageQueue queue : name == null ? List.copyOf(queues.values()) : listOf(queues.get(name))) {
                queue.recordDropped();
            }
        }
    }

    /**
     * A drop of the queue (null: every queue) is written, or failed. Failed: the record is still
     * there, and a queue made since must read it. (Written: the queues made since were told when the
     * batch was built, see {@link #recordsDeletedBy}.)
     */
    void dropEnded(String name, boolean written) {
        synchronized (dropping) {
            dropping.computeIfPresent(name == null ? "" : name, (n, count) -> count == 1 ? null : count - 1);
        }
        if (!written) {
            for (MessageQueue queue : name == null ? List.copyOf(queues.values()) : listOf(queues.get(name))) {
                queue.forgetBase();
            }
        }
    }

    private static List<MessageQueue> listOf(MessageQueue queue) {
        return queue == null ? List.of() : List.of(queue);
    }

    /**
     * The names with a drop under way now ("" for every queue): their records may still be on disk
     * in no-sync mode, where a drop has taken effect before it is written.
     */
    Set<String> beingDropped() {
        synchronized (dropping) {
            return dropping.isEmpty() ? Set.of() : Set.copyOf(dropping.keySet());
        }
    }

    private boolean beingDropped(String name) {
        synchronized (dropping) {
            return !dropping.isEmpty() && (dropping.containsKey(name) || dropping.containsKey(""));
        }
    }

    /**
     * Writer thread, building a batch: the counters changed since they were last taken. Queues made
     * again by name first read their records (none is written meanwhile: only this thread writes);
     * one whose record cannot be read now waits for the next time.
     */
    List<QueueTally.Taken> changedCounters() {
        List<MessageQueue> unread = new ArrayList<>();
        for (MessageQueue queue : queues.values()) {
            if (!queue.baseKnown() && queue.changed()) {
                unread.add(queue);
            }
        }
        if (!unread.isEmpty()) {
            try {
                Map<String, MessageStore.QueueCounters> found = store.counters(unread.stream().map(MessageQueue::name).toList());
                unread.forEach(queue -> queue.resolveBase(found.get(queue.name())));
            } catch (StorageException e) {
                LOG.log(Level.WARNING, "reading the records of " + unread.size() + " queues failed; their counters wait", e);
            }
        }
        List<QueueTally.Taken> taken = new ArrayList<>();
        for (MessageQueue queue : queues.values()) {
            QueueTally.Taken counters = queue.takeChangedCounters();
            if (counters != null) {
                taken.add(counters);
            }
        }
        return taken;
    }

    /** Whether some queue's counters changed since they were last taken for writing. */
    boolean anyChanged() {
        for (MessageQueue queue : queues.values()) {
            if (queue.changed()) {
                return true;
            }
        }
        return false;
    }

    /** Writer thread: a batch is written that made and deleted this many records, net. */
    void recordsChanged(long change) {
        records.addAndGet(change);
    }

    /** The queues that may leave memory now, as far as they alone can tell (see {@link MessageQueue#mayBePutAside}). */
    List<MessageQueue> settledAndWritten() {
        List<MessageQueue> settled = new ArrayList<>();
        for (MessageQueue queue : queues.values()) {
            if (queue.mayBePutAside()) {
                settled.add(queue);
            }
        }
        return settled;
    }

    /**
     * Takes the queue out of memory if it is still the one of its name and may leave; its record
     * stays. Not while a drop of its name is under way: that drop may yet delete the record.
     */
    boolean putAside(MessageQueue queue) {
        return queue.mayBePutAside() && !beingDropped(queue.name()) && queues.remove(queue.name(), queue);
    }

    /** Messages waiting in all queues (those put aside are empty). */
    long depth() {
        long depth = 0;
        for (MessageQueue queue : queues.values()) {
            depth += queue.size();
        }
        return depth;
    }

    /** Queues in memory. */
    int size() {
        return queues.size();
    }

    /** Every queue: the records on disk, and the queues in memory without one yet. */
    long count() {
        long unrecorded = 0;
        for (MessageQueue queue : queues.values()) {
            unrecorded += queue.recorded() ? 0 : 1;
        }
        return records.get() + unrecorded;
    }
}
