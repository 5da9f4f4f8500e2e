package org.mcq.queues.store.derby;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.mcq.queues.rules.QueueLimits;

/**
 * What every operation on this server's queues shares: the {@link QueueIndex}, the open and the
 * waiting reads, the writer, the bodies' memory, the read counters, and the lock that orders them.
 */
final class QueueState {

    static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    final QueueIndex index;
    final OpenReads openReads = new OpenReads();
    final Waiters waiters = new Waiters();
    final AtomicLong openTimeouts = new AtomicLong();
    final AtomicLong expired = new AtomicLong();
    final AtomicLong discarded = new AtomicLong();
    final QueueSet.Settings settings;
    final ScheduledExecutorService timers;
    final MessageStore store;
    final GroupCommit writer;
    final Bodies bodies;
    final Executor reads;
    final boolean sync;
    /**
     * Makes "change the index, then queue the write" one step, so both see one order (no-sync mode);
     * and guards the open reads and the waiters, which change with the index.
     */
    final Object order = new Object();

    /**
     * @param completions    runs the continuations of committed operations (see {@link GroupCommit})
     * @param reads          reads evicted bodies back from the store, off the consumer's thread
     * @param timers         ends waiting reads whose time is up (no thread waits for them)
     * @param limits         each queue's limits, by name
     * @param countersWritten the writer thread runs it after it wrote queue counters
     */
    QueueState(MessageStore store, Executor completions, Executor reads, ScheduledExecutorService timers,
               QueueSet.Settings settings, Function<String, QueueLimits> limits, Runnable countersWritten) {
        this.index = new QueueIndex(store, limits, settings.fanout());
        this.store = store;
        this.settings = settings;
        this.timers = timers;
        this.sync = settings.sync();
        this.writer = new GroupCommit(store, completions, new CounterCadence(index, settings.countersIntervalMillis(),
                countersWritten), sync, settings.flushIntervalMillis());
        this.reads = reads;
        this.bodies = new Bodies(settings.memoryBudgetBytes(), store, reads);
    }

    /**
     * Under the lock: whether an op submitted now takes effect only once written, failing with its
     * batch: always in sync mode, in no-sync mode while the writer is holding.
     */
    boolean holding() {
        return sync || writer.holding();
    }

    /** Under the lock: removes from disk messages that left their queue undelivered. */
    void remove(List<Message> messages) {
        if (!messages.isEmpty()) {
            writer.submit(new Removal(messages)); // refused only when stopping: they are back after the restart
        }
    }

    /** Back into its queue (made again if it was dropped meanwhile: its row is still on disk). */
    void putBack(String name, Message message) {
        index.getOrCreate(name).putBack(message);
    }
}
