package org.mcq.queues.store.derby;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Changes to whole queues: emptied ({@code flush}), cleared of what expired, dropped
 * ({@code delete}, {@code flush_all}), each in submission order with the writes around it.
 */
final class WholeQueues {

    private final QueueState state;
    private final QueueIndex index;
    private final OpenReads openReads;
    private final Waiters waiters;
    private final AtomicLong expired;
    private final GroupCommit writer;
    private final Bodies bodies;
    private final boolean sync;
    private final Object order;

    WholeQueues(QueueState state) {
        this.state = state;
        this.index = state.index;
        this.openReads = state.openReads;
        this.waiters = state.waiters;
        this.expired = state.expired;
        this.writer = state.writer;
        this.bodies = state.bodies;
        this.sync = state.sync;
        this.order = state.order;
    }

    /** Removes every message of the queue that may no longer be delivered; yields how many. */
    int flushExpired(String name) {
        synchronized (order) {
            MessageQueue queue = index.get(name);
            if (queue == null) {
                return 0;
            }
            List<Message> gone = queue.removeExpired(System.currentTimeMillis());
            gone.forEach(bodies::release);
            state.remove(gone);
            expired.addAndGet(gone.size());
            return gone.size();
        }
    }

    /**
     * Empties a queue, its open reads confirmed (Kestrel's {@code flush}); completes once that is on
     * disk in sync mode, at once in no-sync mode.
     */
    CompletableFuture<Void> flush(String name) {
        Removal removal;
        synchronized (order) {
            List<Message> gone = new ArrayList<>(openReads.removeQueue(name));
            MessageQueue queue = index.get(name);
            if (queue != null) {
                gone.addAll(queue.pollAll());
            }
            if (gone.isEmpty()) {
                return QueueState.DONE;
            }
            gone.forEach(bodies::release);
            removal = new Removal(gone);
            if (!writer.submit(removal)) {
                return removal.done;
            }
        }
        return sync ? removal.done : QueueState.DONE;
    }

    /**
     * Drops a queue with its waiting messages; reads open on it stay open. Yields false if there was
     * no such queue. A queue in memory is known to exist at once; of any other, its record tells,
     * so the answer comes once the drop is written.
     */
    CompletableFuture<Boolean> delete(String name) {
        Drop drop;
        CompletableFuture<Void> submitted;
        synchronized (order) {
            long before = index.lastId();
            drop = new Drop(name, index, () -> detach(name, false, before), this::reinstate, bodies, state.holding(),
                    index.dropped(name));
            submitted = submitInOrder(drop);
        }
        return drop.answersWhenWritten() ? submitted.thenCompose(done -> drop.existed) : submitted.thenApply(done -> true);
    }

    /** Empties the server: every queue and waiting message is dropped; reads open stay open. */
    CompletableFuture<Void> flushAll() {
        synchronized (order) {
            long before = index.lastId();
            return submitInOrder(new Drop(null, index, () -> detach(null, false, before), this::reinstate, bodies,
                    state.holding(), index.dropped(null)));
        }
    }

    /**
     * Under the lock: queues the drop. Applied when written (sync mode, or the writer holding), the
     * writer takes the queues out when it writes it, and its stage completes after the commit;
     * otherwise they are out now, in submission order, and it is done at once. Refused by a stopping
     * writer, the stage has failed and the queues are back.
     */
    CompletableFuture<Void> submitInOrder(Drop drop) {
        if (drop.whenRefused() == WriteOp.WhenRefused.FAIL) {
            if (!writer.submit(drop)) {
                drop.failed(); // nothing was detached: only the index hears it ended
            }
            return drop.done;
        }
        drop.apply();
        if (!writer.submit(drop)) {
            drop.failed();
            return drop.done;
        }
        return QueueState.DONE;
    }

    /**
     * Under the lock: takes the queue (null: every queue) out of the index, with what its drop
     * clears, the sets submitted before it ({@code lastId}: ids up to it) that have not joined yet
     * included; with {@code ifIdle}, only if it is still empty, not read open and not waited on.
     */
    Detached detach(String name, boolean ifIdle, long lastId) {
        synchronized (order) {
            List<MessageQueue> taken = new ArrayList<>();
            if (name == null) {
                for (MessageQueue queue : List.copyOf(index.all())) {
                    if (index.remove(queue.name()) != null) {
                        taken.add(queue);
                    }
                }
            } else {
                MessageQueue queue = index.get(name);
                boolean idle = queue != null && queue.isSettledEmpty() && openReads.countByQueue().get(name) == null
                        && !waiters.any(name);
                if (queue != null && (!ifIdle || idle)) {
                    index.remove(name);
                    taken.add(queue);
                }
                if (ifIdle && (queue == null || idle)) {
                    index.dropped(name); // a delete's or flush_all's ended its subscriber when submitted
                }
            }
            long maxId = 0;
            List<Detached.Early> withdrawn = new ArrayList<>(0);
            for (MessageQueue queue : taken) {
                maxId = Math.max(maxId, queue.lastId());
                // a set submitted before the drop is dropped with it, not left to make the queue again; its
                // row is taken out by id (Drop.addTo), not by raising maxId, which would clear other
                // queues' rows of the batch that came after it
                for (Message early : queue.withdrawAdmittedUpTo(lastId)) {
                    withdrawn.add(new Detached.Early(queue, early));
                }
            }
            return new Detached(taken, maxId, openReads.ids(name), withdrawn);
        }
    }

    /** A drop that failed: its queues go back, merged with any made meanwhile. */
    void reinstate(Detached detached) {
        synchronized (order) {
            for (MessageQueue queue : detached.queues()) {
                index.reinstate(queue);
            }
        }
    }
}
