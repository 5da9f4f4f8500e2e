package org.mcq.queues.store.derby;

import java.util.List;
import java.util.Set;

/**
 * Queues that no longer need memory: empty ones whose counters are on disk are put aside (their
 * record stays), and with {@code mcq.queue.idle.drop.s} idle ones are dropped.
 */
final class IdleQueues {

    private final QueueState state;
    private final QueueIndex index;
    private final OpenReads openReads;
    private final Waiters waiters;
    private final QueueSet.Settings settings;
    private final GroupCommit writer;
    private final Bodies bodies;
    private final Object order;
    private final WholeQueues wholeQueues;

    IdleQueues(QueueState state, WholeQueues wholeQueues) {
        this.state = state;
        this.index = state.index;
        this.openReads = state.openReads;
        this.waiters = state.waiters;
        this.settings = state.settings;
        this.writer = state.writer;
        this.bodies = state.bodies;
        this.order = state.order;
        this.wholeQueues = wholeQueues;
    }

    /**
     * The counters timer: while some queue's counters changed since they were written, a batch for
     * them, so that an idle server's reach the disk too, and its emptied queues leave memory.
     */
    void writeCounters() {
        if (index.anyChanged()) {
            writer.submit(new CounterWrite()); // refused only when stopping: the stop writes them
        }
    }

    /**
     * Writer thread, after counters were written: empty queues whose records hold their counters,
     * neither read open nor waited on, leave memory (their records stay: they exist all the same).
     * Not while idle queues are dropped: that sweep looks for them in memory.
     */
    void putAside() {
        if (settings.idleDropMillis() > 0) {
            return;
        }
        List<MessageQueue> settled = index.settledAndWritten();
        if (settled.isEmpty()) {
            return;
        }
        synchronized (order) {
            Set<String> read = openReads.countByQueue().keySet();
            for (MessageQueue queue : settled) {
                if (!read.contains(queue.name()) && !waiters.any(queue.name())) {
                    index.putAside(queue);
                }
            }
        }
    }

    /**
     * The idle sweep, run every idle time: drops the queues that are empty, unused since the last
     * sweep, and neither read open nor waited on, with their counters (Kestrel's answer to a queue
     * per user or per job), so a queue goes between one and two idle times after its last use;
     * yields how many.
     */
    int dropIdleQueues() {
        if (settings.idleDropMillis() <= 0) {
            return 0;
        }
        int dropped = 0;
        synchronized (order) {
            Set<String> read = openReads.countByQueue().keySet();
            for (MessageQueue queue : List.copyOf(index.all())) {
                String name = queue.name();
                if (queue.idleSinceLastLook() && !read.contains(name) && !waiters.any(name)) {
                    // applied when written: dropped then only if still idle
                    Drop drop = new Drop(name, index, () -> wholeQueues.detach(name, true, 0), wholeQueues::reinstate,
                            bodies, state.holding(), List.of());
                    if (!wholeQueues.submitInOrder(drop).isCompletedExceptionally()) {
                        dropped++;
                    }
                }
            }
        }
        return dropped;
    }
}
