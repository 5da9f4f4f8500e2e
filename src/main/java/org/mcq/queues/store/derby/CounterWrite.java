package org.mcq.queues.store.derby;

/**
 * Nothing but a batch for the queue counters to ride along with: counters are written with the
 * writer's batches, so on an idle server the last changes would wait for the next command. Sent
 * every counters interval while some changed, it takes them to disk, and so lets the queues emptied
 * last leave memory (see {@link QueueIndex}). An empty batch costs no write.
 */
final class CounterWrite extends WriteOp {

    @Override
    void addTo(Batch batch) {
    }

    @Override
    WhenRefused whenRefused() {
        return WhenRefused.DEFER;
    }

    /** No-sync mode: the timer already waited its interval. */
    @Override
    boolean urgent() {
        return true;
    }
}
