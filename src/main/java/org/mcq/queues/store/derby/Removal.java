package org.mcq.queues.store.derby;

import java.util.List;

/**
 * Removes messages that leave their queue without being delivered (expired, discarded to make
 * room, flushed) from the store.
 */
final class Removal extends WriteOp {

    private final List<Message> messages;

    Removal(List<Message> messages) {
        this.messages = messages;
    }

    int size() {
        return messages.size();
    }

    @Override
    void addTo(Batch batch) {
        for (Message message : messages) {
            batch.consume(message.id());
        }
    }

    /** Nobody waits on it but a flush; the removal is retried while the database refuses writes. */
    @Override
    WhenRefused whenRefused() {
        return WhenRefused.DEFER;
    }
}
