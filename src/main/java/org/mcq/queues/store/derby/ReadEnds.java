package org.mcq.queues.store.derby;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How reads end: an open read confirmed ({@code close}) or given back to its queue's head
 * ({@code abort}, its visibility timeout, its reader gone); waiting reads ended with their reader or
 * the server.
 */
final class ReadEnds {

    private final QueueState state;
    private final OpenReads openReads;
    private final Waiters waiters;
    private final AtomicLong openTimeouts;
    private final QueueSet.Settings settings;
    private final GroupCommit writer;
    private final Bodies bodies;
    private final Executor reads;
    private final boolean sync;
    private final Object order;
    private final Reads headReads;

    ReadEnds(QueueState state, Reads headReads) {
        this.state = state;
        this.openReads = state.openReads;
        this.waiters = state.waiters;
        this.openTimeouts = state.openTimeouts;
        this.settings = state.settings;
        this.writer = state.writer;
        this.bodies = state.bodies;
        this.reads = state.reads;
        this.sync = state.sync;
        this.order = state.order;
        this.headReads = headReads;
    }

    /**
     * Confirms the reader's oldest open read of the queue: its message is removed for good. The stage
     * completes when that may be answered (in sync mode, once on disk); at once if nothing was open.
     */
    CompletableFuture<Void> close(String name, Object reader) {
        OpenReads.OpenRead read;
        synchronized (order) {
            read = openReads.removeOldest(reader, name);
            if (read == null) {
                return QueueState.DONE;
            }
            if (read.delivered().isDone()) {
                return confirm(read);
            }
        }
        // its body is still being read back (a close right behind its open): its row is needed till then
        return read.delivered().thenCompose(delivered -> switch (delivered) {
            case YES -> confirm(read);
            case FAILED -> {
                List<Runnable> deliveries = new ArrayList<>();
                synchronized (order) {
                    giveBack(List.of(read), deliveries); // never delivered: nothing to confirm, it stays queued
                }
                deliveries.forEach(Runnable::run);
                yield QueueState.DONE;
            }
            case GONE -> QueueState.DONE;
        });
    }

    private CompletableFuture<Void> confirm(OpenReads.OpenRead read) {
        Consume consume;
        synchronized (order) {
            consume = new Consume(read.message());
            if (!writer.submit(consume)) {
                state.putBack(read.queue(), read.message());
                return consume.done;
            }
        }
        Message message = consume.message;
        if (!sync && !writer.backlogged()) {
            bodies.release(message);
            return QueueState.DONE;
        }
        return consume.done.thenRun(() -> bodies.release(message));
    }

    /** Gives the reader's oldest open read of the queue back to the head of the queue, if there is one. */
    CompletableFuture<Void> abort(String name, Object reader) {
        List<Runnable> deliveries;
        synchronized (order) {
            OpenReads.OpenRead read = openReads.removeOldest(reader, name);
            if (read == null) {
                return QueueState.DONE;
            }
            state.putBack(read.queue(), read.message());
            deliveries = headReads.serveWaiters(read.queue());
        }
        deliveries.forEach(Runnable::run);
        return QueueState.DONE;
    }

    /** How many reads of the queue the reader holds open. */
    int openReads(String name, Object reader) {
        synchronized (order) {
            return openReads.count(reader, name);
        }
    }

    /**
     * The reader (a connection) is gone: its open reads go back to their queues in their original
     * order, to be delivered again, and its waiting reads end with nothing.
     */
    void readerGone(Object reader) {
        List<Runnable> deliveries = new ArrayList<>();
        List<Waiters.Waiter> cancelled;
        synchronized (order) {
            cancelled = waiters.removeReader(reader);
            giveBack(openReads.removeAll(reader), deliveries);
        }
        end(cancelled);
        deliveries.forEach(Runnable::run);
    }

    /** The reader's input ended: its waiting reads end with nothing. */
    void endWaits(Object reader) {
        List<Waiters.Waiter> cancelled;
        synchronized (order) {
            cancelled = waiters.removeReader(reader);
        }
        end(cancelled);
    }

    private static void end(List<Waiters.Waiter> waiting) {
        for (Waiters.Waiter waiter : waiting) {
            waiter.cancelTimeout();
            waiter.result.complete(null);
        }
    }

    /** Ends every waiting read with nothing (the server stops: no deadline will end them). */
    void stopWaiting() {
        List<Waiters.Waiter> all;
        synchronized (order) {
            all = waiters.removeAll();
        }
        all.forEach(waiter -> waiter.result.complete(null));
    }

    /** Open reads held longer than the visibility timeout go back to their queues; returns how many. */
    int returnStaleOpenReads() {
        long timeout = settings.openTimeoutMillis();
        if (timeout <= 0) {
            return 0;
        }
        List<Runnable> deliveries = new ArrayList<>();
        int stale;
        synchronized (order) {
            List<OpenReads.OpenRead> reads = openReads.removeOpenedBefore(System.nanoTime()
                    - TimeUnit.MILLISECONDS.toNanos(timeout));
            stale = reads.size();
            giveBack(reads, deliveries);
        }
        openTimeouts.addAndGet(stale);
        deliveries.forEach(Runnable::run);
        return stale;
    }

    /** Puts open reads back (oldest first in, so each lands in id order) and serves who waits for them. */
    private void giveBack(List<OpenReads.OpenRead> reads, List<Runnable> deliveries) {
        Set<String> queues = new LinkedHashSet<>();
        for (OpenReads.OpenRead read : reads) {
            state.putBack(read.queue(), read.message());
            queues.add(read.queue());
        }
        for (String queue : queues) {
            deliveries.addAll(headReads.serveWaiters(queue));
        }
    }
}
