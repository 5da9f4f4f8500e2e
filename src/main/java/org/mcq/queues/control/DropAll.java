package org.mcq.queues.control;

import java.util.ArrayList;

/** Drops every queue ({@code flush_all}). */
final class DropAll extends WriteOp {

    private final QueueIndex index;
    private final Bodies bodies;
    /** It takes effect once committed, failed if its batch is refused; else the caller applied it at once. */
    private final boolean appliesWhenWritten;

    DropAll(QueueIndex index, Bodies bodies, boolean appliesWhenWritten) {
        this.index = index;
        this.bodies = bodies;
        this.appliesWhenWritten = appliesWhenWritten;
    }

    void apply() {
        for (MessageQueue queue : new ArrayList<>(index.all())) {
            MessageQueue removed = index.remove(queue.name());
            if (removed != null) {
                bodies.releaseAll(removed);
            }
        }
    }

    @Override
    void addTo(Batch batch) {
        batch.dropAll();
    }

    @Override
    void committed() {
        if (appliesWhenWritten) {
            apply();
        }
    }

    @Override
    WhenRefused whenRefused() {
        return appliesWhenWritten ? WhenRefused.FAIL : WhenRefused.DEFER;
    }

    @Override
    boolean urgent() {
        return true;
    }
}
