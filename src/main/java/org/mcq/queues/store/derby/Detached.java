package org.mcq.queues.store.derby;

import java.util.List;

/**
 * What a drop took out of the index: the queues, and which of their rows it clears: those up to the
 * highest id waiting in them ({@code maxId}), but the ones read open at that moment ({@code kept},
 * ascending), which stay open.
 */
record Detached(List<MessageQueue> queues, long maxId, long[] kept) {
}
