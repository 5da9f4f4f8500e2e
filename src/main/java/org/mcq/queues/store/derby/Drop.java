package org.mcq.queues.store.derby;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Drops one queue with its messages (memcache's {@code delete}) or every queue ({@code flush_all});
 * reads open on them stay open, their rows kept, so a {@code close} confirms them and an
 * {@code abort} puts them back. The queues leave the index under the queues' lock: when submitted,
 * if it takes effect at once (no-sync mode); else when the writer takes the drop into its batch, so
 * every message committed before is in it and none taken since can be read open after its row is
 * cleared; it fails with its batch then, the queues put back. Whether the queue existed is known
 * when it is submitted if the queue is in memory, else from its record once written ({@link #existed}).
 */
final class Drop extends WriteOp {

    /** Whether the queue existed: in memory when submitted, or by its record; once written. */
    final CompletableFuture<Boolean> existed = new CompletableFuture<>();
    private final QueueIndex index;
    private final boolean inMemory;
    private final Supplier<Detached> detach;
    private final Consumer<Detached> reinstate;
    private final Bodies bodies;
    private final boolean all;
    private final String name;
    /** It takes effect once committed, failed if its batch is refused; else the caller applied it at once. */
    private final boolean appliesWhenWritten;
    private Detached detached;
    /** The fanout subscribers it ended when submitted: they exist after all if it fails. */
    private final List<String> unsubscribed;
    /** Writer thread: the batch it was last added to, which tells whether its record was there. */
    private Batch batch;
    /** Writer thread: its place among that batch's drops. */
    private int place;

    /**
     * @param name      the queue, or null for every queue
     * @param index     told while it is under way (a queue made meanwhile starts from nothing)
     * @param detach    takes the queue(s) out of the index under the queues' lock
     * @param reinstate puts them back when the drop fails
     * @param unsubscribed the fanout subscribers it ended when submitted
     */
    Drop(String name, QueueIndex index, Supplier<Detached> detach, Consumer<Detached> reinstate, Bodies bodies,
         boolean appliesWhenWritten, List<String> unsubscribed) {
        this.name = name;
        this.unsubscribed = unsubscribed;
        this.index = index;
        this.inMemory = name != null && index.contains(name);
        index.dropping(name);
        this.all = name == null;
        this.detach = detach;
        this.reinstate = reinstate;
        this.bodies = bodies;
        this.appliesWhenWritten = appliesWhenWritten;
    }

    /** Under the queues' lock before it is submitted, when it takes effect at once: the queues leave the index now. */
    void apply() {
        detached = detach.get();
    }

    /** Whether it answers only once written: its queue is not in memory, its record tells. */
    boolean answersWhenWritten() {
        return name != null && !inMemory;
    }

    @Override
    void addTo(Batch batch) {
        this.batch = batch;
        if (detached == null) {
            detached = detach.get(); // applied when written: now, on the writer's thread
        }
        place = all ? batch.dropAll(detached.maxId(), detached.kept()) : batch.drop(name, detached.maxId(), detached.kept());
        for (Detached.Early early : detached.withdrawn()) {
            batch.consume(early.message().id()); // its insert, ahead in this batch, is not written
        }
    }

    @Override
    void committed() {
        for (MessageQueue queue : detached.queues()) {
            bodies.releaseAll(queue);
        }
        detached.withdrawn().forEach(early -> bodies.release(early.message()));
        index.dropEnded(name, true);
        existed.complete(inMemory || batch.droppedRecord(place));
    }

    /** Refused (or the writer is stopping): the queues go back, with what joined them meanwhile. */
    @Override
    void failed() {
        index.dropEnded(name, false); // before the queues go back: they tell what a queue made meanwhile counts from
        index.resubscribe(unsubscribed);
        if (detached != null) {
            // the sets it withdrew are admitted again: their inserts join or fail as if it never was
            detached.withdrawn().forEach(early -> early.queue().admit(early.message()));
            reinstate.accept(detached);
        }
    }

    @Override
    WhenRefused whenRefused() {
        return appliesWhenWritten ? WhenRefused.FAIL : WhenRefused.DEFER;
    }

    /** A caller waits for it (applied when written), or it empties everything. */
    @Override
    boolean urgent() {
        return all || appliesWhenWritten || answersWhenWritten();
    }
}
