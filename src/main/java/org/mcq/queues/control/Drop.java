package org.mcq.queues.control;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Drops one queue with its messages (memcache's {@code delete}) or every queue ({@code flush_all});
 * reads open on them stay open, their rows kept, so a {@code close} confirms them and an
 * {@code abort} puts them back. The queues leave the index under the queues' lock: when submitted,
 * if it takes effect at once (no-sync mode); else when the writer takes the drop into its batch, so
 * every message committed before is in it and none taken since can be read open after its row is
 * cleared; it fails with its batch then, the queues put back.
 */
final class Drop extends WriteOp {

    private final Supplier<Detached> detach;
    private final Consumer<Detached> reinstate;
    private final Bodies bodies;
    private final boolean all;
    private final String name;
    /** It takes effect once committed, failed if its batch is refused; else the caller applied it at once. */
    private final boolean appliesWhenWritten;
    private Detached detached;

    /**
     * @param name      the queue, or null for every queue
     * @param detach    takes the queue(s) out of the index under the queues' lock
     * @param reinstate puts them back when the drop fails
     */
    Drop(String name, Supplier<Detached> detach, Consumer<Detached> reinstate, Bodies bodies,
         boolean appliesWhenWritten) {
        this.name = name;
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

    @Override
    void addTo(Batch batch) {
        if (detached == null) {
            detached = detach.get(); // applied when written: now, on the writer's thread
        }
        if (all) {
            batch.dropAll(detached.maxId(), detached.kept());
        } else {
            batch.drop(name, detached.maxId(), detached.kept());
        }
    }

    @Override
    void committed() {
        for (MessageQueue queue : detached.queues()) {
            bodies.releaseAll(queue);
        }
    }

    /** Refused (or the writer is stopping): the queues go back, with what joined them meanwhile. */
    @Override
    void failed() {
        if (detached != null) {
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
        return all || appliesWhenWritten;
    }
}
