package org.mcq.queues.store.postgres;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.mcq.queues.api.OpenReadLost;

/**
 * How open reads end on the shared store: confirmed ({@code close}) or given back ({@code abort},
 * their reader gone), each in its turn per reader and queue; and the reader's count of them.
 */
final class ReadEnds {

    private final OpenReads openReads;
    /** Per reader and queue, its last close or abort still under way (see {@link #settleOldest}). */
    private final Map<List<Object>, CompletableFuture<Void>> settling = new ConcurrentHashMap<>();
    private final Housekeeping housekeeping;
    private final SharedReads reads;
    private final Waiters waiters;
    private final String serverId;
    private final Maintenance maintenance;
    /** Hands an operation to its queue's lane. */
    private final Consumer<SharedOp> submit;

    ReadEnds(OpenReads openReads, Housekeeping housekeeping, SharedReads reads, Waiters waiters, String serverId,
             Maintenance maintenance, Consumer<SharedOp> submit) {
        this.openReads = openReads;
        this.housekeeping = housekeeping;
        this.reads = reads;
        this.waiters = waiters;
        this.serverId = serverId;
        this.maintenance = maintenance;
        this.submit = submit;
    }

    /**
     * Confirms the reader's oldest open read of the queue that it still holds: one whose row a
     * {@code flush} removed, or that its timeout gave back, is passed over. One that is gone while this
     * server was silent past most of the takeover time fails the close with {@link OpenReadLost}:
     * the others may have given it back and delivered it again.
     */
    CompletableFuture<Void> close(String queue, Object reader) {
        return settleOldest(queue, reader, lease -> {
            SharedOp.Confirm confirm = new SharedOp.Confirm(queue, lease, new CompletableFuture<>());
            submit.accept(confirm);
            // gone while this server was silent: maybe delivered elsewhere, which the worker must hear
            return confirm.done().thenApply(held -> {
                if (!held && housekeeping.mayHaveLost(lease.takenAtNanos())) {
                    throw new OpenReadLost();
                }
                return held;
            });
        });
    }

    /** Gives back the reader's oldest open read of the queue that it still holds; done once committed. */
    CompletableFuture<Void> abort(String queue, Object reader) {
        return settleOldest(queue, reader, lease -> giveBack(lease, reader));
    }

    /**
     * Applies {@code settle} to the reader's oldest open read of the queue that it still holds, of
     * those it held when asked (one still being taken, pipelined just before, is its lane's first:
     * this waits one commit); on to the next while one turns out to hold nothing. It starts once the
     * reader's earlier settles of the queue are done: one that passes over a read another server
     * flushed asks the database first, and a later one must not take the read it is about to reach.
     */
    private CompletableFuture<Void> settleOldest(String queue, Object reader,
                                                 Function<Lease, CompletableFuture<Boolean>> settle) {
        List<CompletableFuture<Lease>> held = openReads.held(reader, queue);
        if (held.isEmpty()) {
            return CompletableFuture.completedFuture(null); // nothing to settle, nothing to wait for
        }
        List<Object> key = List.of(reader, queue);
        CompletableFuture<Void> settled = settling.compute(key, (k, before) ->
                (before == null ? CompletableFuture.<Void>completedFuture(null) : before.handle((done, failure) -> null))
                        .thenCompose(ready -> settleFirst(queue, reader, held.iterator(), settle)));
        settled.whenComplete((done, failure) -> settling.remove(key, settled));
        return settled;
    }

    private CompletableFuture<Void> settleFirst(String queue, Object reader, Iterator<CompletableFuture<Lease>> held,
                                                Function<Lease, CompletableFuture<Boolean>> settle) {
        while (held.hasNext()) {
            CompletableFuture<Lease> next = held.next();
            if (openReads.take(reader, queue, next, System.currentTimeMillis())) {
                return next.thenCompose(lease -> lease == null
                        ? settleFirst(queue, reader, held, settle)
                        : settle.apply(lease).thenCompose(settled -> settled
                                ? CompletableFuture.<Void>completedFuture(null) : settleFirst(queue, reader, held, settle)));
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Boolean> giveBack(Lease lease, Object reader) {
        SharedOp.Release release = new SharedOp.Release(lease.queue(), lease, reader, new CompletableFuture<>());
        submit.accept(release);
        return release.done();
    }

    int openReads(String queue, Object reader) {
        return openReads.count(reader, queue, System.currentTimeMillis());
    }

    /** Asks the database which of the reader's open reads of the queue are still its own, off the caller's thread. */
    CompletableFuture<Void> recountOpenReads(String queue, Object reader) {
        return maintenance.async(() -> {
            openReads.forget(reader, queue, reads.lost(openReads.taken(reader, queue), serverId));
            return null;
        });
    }

    /** The reader's input ended: its waiting reads end with nothing, and none of its reads waits from now on. */
    void endWaits(Object reader) {
        waiters.readerEnded(reader);
    }

    void readerGone(Object reader) {
        waiters.readerEnded(reader);
        for (CompletableFuture<Lease> lease : openReads.removeAll(reader, System.currentTimeMillis())) {
            lease.thenAccept(held -> {
                if (held != null) {
                    giveBack(held, reader);
                }
            });
        }
    }
}
