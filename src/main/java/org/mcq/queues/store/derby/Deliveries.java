package org.mcq.queues.store.derby;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.StorageException;

/**
 * The second half of a read, run after the queues' lock is released: delivers what {@link Reads}
 * took, reading an evicted body back from disk first, and in sync mode only once a pop's removal is
 * on disk. A message that cannot be delivered after all goes back where it was, unless a drop or
 * the end of its open read removed it meanwhile.
 */
final class Deliveries {

    private static final CompletableFuture<Delivery> NOTHING = CompletableFuture.completedFuture(null);
    private static final StorageException STOPPING = new StorageException("server is stopping", null);

    private final QueueState state;
    private final OpenReads openReads;
    private final GroupCommit writer;
    private final Bodies bodies;
    private final boolean sync;
    private final Object order;

    Deliveries(QueueState state) {
        this.state = state;
        this.openReads = state.openReads;
        this.writer = state.writer;
        this.bodies = state.bodies;
        this.sync = state.sync;
        this.order = state.order;
    }

    /** Delivers what was taken; null (nothing taken) yields null, {@link Taken#NO_ROOM} no room. */
    CompletableFuture<Delivery> deliver(Taken taken) {
        if (taken == null) {
            return NOTHING;
        }
        if (taken == Taken.NO_ROOM) {
            return QueueOperations.NO_ROOM;
        }
        if (taken.take() == null) {
            return CompletableFuture.failedFuture(STOPPING); // refused by the stopping writer, put back
        }
        if (taken.body() != null) {
            return delivered(taken, taken.body());
        }
        // only evicted once its insert was committed, so the row is there until it is removed
        return bodies.readBack(taken.message()).handle((read, failure) -> {
            if (taken.open() != null) {
                taken.open().delivered().complete(failure == null ? OpenReads.Delivered.YES
                        : unwrap(failure) instanceof MissingMessage ? OpenReads.Delivered.GONE : OpenReads.Delivered.FAILED);
            }
            if (failure != null) {
                return undelivered(taken, failure);
            }
            if (taken.take() == ReadMode.POP && !sync && !writer.submit(taken.consume())) {
                return undelivered(taken, STOPPING);
            }
            return delivered(taken, read);
        }).thenCompose(delivery -> delivery);
    }

    private CompletableFuture<Delivery> delivered(Taken taken, byte[] body) {
        Message message = taken.message();
        Delivery delivery = new Delivery(message.id(), message.flags(), body);
        if (taken.take() != ReadMode.POP) {
            return CompletableFuture.completedFuture(delivery);
        }
        if (!sync) {
            bodies.release(message);
            return CompletableFuture.completedFuture(delivery);
        }
        if (!writer.submit(taken.consume())) {
            return undelivered(taken, STOPPING);
        }
        return taken.consume().done.thenApply(done -> {
            bodies.release(message);
            return delivery;
        });
    }

    /** A taken message that cannot be delivered goes back where it was; its room is given back. */
    private CompletableFuture<Delivery> undelivered(Taken taken, Throwable why) {
        synchronized (order) {
            boolean held = taken.take() == ReadMode.POP || openReads.remove(taken.reader(), taken.queue(), taken.message());
            // a row cleared by a drop while its body was read back: the drop came first, it is gone
            if (held && !(unwrap(why) instanceof MissingMessage)) {
                state.putBack(taken.queue(), taken.message());
            }
        }
        taken.room().release(taken.message().size());
        return CompletableFuture.failedFuture(why);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
