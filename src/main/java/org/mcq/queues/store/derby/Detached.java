package org.mcq.queues.store.derby;

import java.util.List;

/**
 * What a drop took out of the index: the queues, and which of their rows it clears: those up to the
 * highest id waiting in them ({@code maxId}), but the ones read open at that moment ({@code kept},
 * ascending), which stay open; and the messages of sets submitted before the drop that had not
 * joined yet ({@code withdrawn}, whose inserts are in the drop's batch: taken out of it by id).
 */
record Detached(List<MessageQueue> queues, long maxId, long[] kept, List<Early> withdrawn) {

    /** A message of a set submitted before the drop, taken from the queue it was admitted to. */
    record Early(MessageQueue queue, Message message) {
    }
}
