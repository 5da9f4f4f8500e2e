package org.mcq.queues.store.derby;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.mcq.queues.api.QueueFull;
import org.mcq.queues.rules.Admission;
import org.mcq.queues.rules.Expiry;
import org.mcq.queues.rules.Fanout;

/**
 * {@code set}: a message joins its queue, within the queue's limits, in submission order, and is
 * handed to a read waiting for it; with a copy for each of the queue's fanout subscribers, written
 * in the same batch.
 */
final class Appends {

    private final QueueState state;
    private final QueueIndex index;
    private final AtomicLong discarded;
    private final QueueSet.Settings settings;
    private final GroupCommit writer;
    private final Bodies bodies;
    private final Object order;
    private final Reads headReads;
    /** Told when an insert that joins once written becomes visible; one instance for all inserts. */
    private final Consumer<String> arrivals;

    Appends(QueueState state, Reads headReads) {
        this.state = state;
        this.index = state.index;
        this.discarded = state.discarded;
        this.settings = state.settings;
        this.writer = state.writer;
        this.bodies = state.bodies;
        this.order = state.order;
        this.headReads = headReads;
        this.arrivals = headReads::arrived;
    }

    /**
     * Stores a message; the stage completes when it may be acknowledged: in sync mode once it is on
     * disk, in no-sync mode at once (unless the writer is so far behind that the caller must wait
     * for the disk). While the writer is {@linkplain GroupCommit#holding holding}, a no-sync set is
     * a sync one: the message joins its queue once on disk, and if its batch is refused the stage
     * fails with the {@link StorageException} and nothing is stored. It fails with
     * {@link QueueFull} when the queue is at its limits and refuses more. With expiry on,
     * {@code exptime} follows memcached's rule (0: never; negative: already expired).
     */
    CompletableFuture<Void> set(String name, long flags, long exptime, byte[] body) {
        long now = System.currentTimeMillis();
        WriteOp op;
        boolean held;
        List<Runnable> deliveries;
        synchronized (order) {
            MessageQueue own = index.getOrCreate(name);
            if (!makeRoom(own, body.length)) {
                return CompletableFuture.failedFuture(new QueueFull());
            }
            List<String> subscribers = settings.fanout() && Fanout.mayHaveSubscribers(name)
                    ? index.subscribersOf(name) : List.of();
            held = state.holding();
            Insert insert = insert(name, own, flags, exptime, body, now, held);
            List<Insert> copies = subscribers.isEmpty() ? List.of() : new ArrayList<>(subscribers.size());
            List<MessageQueue> refused = List.of();
            for (String subscriber : subscribers) {
                // as its own limits say: a full subscriber that refuses does not stop the queue's producers
                MessageQueue queue = index.getOrCreate(subscriber);
                if (makeRoom(queue, body.length)) {
                    copies.add(insert(subscriber, queue, flags, exptime, body, now, held));
                } else {
                    refused = refused.isEmpty() ? new ArrayList<>() : refused;
                    refused.add(queue);
                }
            }
            op = copies.isEmpty() ? insert : new Copies(insert, copies);
            if (!writer.submit(op)) {
                op.failed();
                return op.done;
            }
            for (MessageQueue queue : refused) {
                queue.refusedCopy(); // counted once the set is accepted: a refused set stored nothing
                discarded.incrementAndGet();
            }
            deliveries = List.of();
            if (!held) {
                // after the submit: a message refused by a stopping writer is never seen
                insert.apply();
                copies.forEach(Insert::apply);
                deliveries = headReads.serveWaiters(name);
                for (Insert copy : copies) {
                    List<Runnable> more = headReads.serveWaiters(copy.queue());
                    if (!more.isEmpty()) {
                        deliveries = deliveries.isEmpty() ? new ArrayList<>() : new ArrayList<>(deliveries);
                        deliveries.addAll(more);
                    }
                }
            }
        }
        deliveries.forEach(Runnable::run);
        return held || writer.backlogged() ? op.done : QueueState.DONE;
    }

    /** Under the lock: the insert of one message into one queue, its id the next in submission order. */
    private Insert insert(String name, MessageQueue queue, long flags, long exptime, byte[] body, long now, boolean held) {
        boolean cached = bodies.tryKeep(body.length);
        // ids in submission order, so a queue's messages are in id order in memory and on disk
        Message message = new Message(index.nextId(), flags, body, body.length, now,
                Expiry.expiresAt(settings.expiry(), exptime, now));
        message.cache(cached);
        return new Insert(index, bodies, name, message, held ? queue : null, arrivals);
    }

    /**
     * Under the lock: whether a message of {@code size} may join the queue; drops the oldest
     * messages first if the queue's policy says so. False if it cannot fit.
     */
    private boolean makeRoom(MessageQueue queue, int size) {
        if (!queue.limits().bounded()) {
            return true;
        }
        List<Message> dropped = new ArrayList<>(0);
        boolean admitted = Admission.admit(queue.limits(), new Admission.Occupancy<RuntimeException>() {
            @Override
            public long messages() {
                return queue.countedMessages();
            }

            @Override
            public long bytes() {
                return queue.countedBytes();
            }

            @Override
            public boolean dropOldest() {
                Message oldest = queue.dropOldest(); // one admitted has its commit under way: its removal follows its insert
                if (oldest == null) {
                    return false;
                }
                bodies.release(oldest);
                dropped.add(oldest);
                return true;
            }
        }, size);
        if (!dropped.isEmpty()) {
            state.remove(dropped);
            discarded.addAndGet(dropped.size());
        }
        return admitted;
    }
}
