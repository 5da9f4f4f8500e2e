package org.mcq.queues.store.derby;

/** Removes a consumed message from the store. */
final class Consume extends WriteOp {

    final Message message;

    Consume(Message message) {
        this.message = message;
    }

    @Override
    void addTo(Batch batch) {
        batch.consume(message.id());
    }

    /** A consumer is served even while the database refuses writes; the removal is retried. */
    @Override
    WhenRefused whenRefused() {
        return WhenRefused.DEFER;
    }
}
