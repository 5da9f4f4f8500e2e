package org.mcq.queues.control;

import java.util.ArrayList;

/** Drops every queue ({@code flush_all}). */
final class DropAll extends WriteOp {

    private final QueueIndex index;
    private final Bodies bodies;
    private final boolean sync;

    DropAll(QueueIndex index, Bodies bodies, boolean sync) {
        this.index = index;
        this.bodies = bodies;
        this.sync = sync;
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
        if (sync) {
            apply();
        }
    }

    @Override
    boolean urgent() {
        return true;
    }
}
