package org.mcq.queues.control;

/** Drops one queue with its messages (memcache's {@code delete}). */
final class Drop extends WriteOp {

    private final QueueIndex index;
    private final Bodies bodies;
    private final boolean sync;
    private final String name;
    private long[] ids;

    Drop(QueueIndex index, Bodies bodies, boolean sync, String name) {
        this.index = index;
        this.bodies = bodies;
        this.sync = sync;
        this.name = name;
    }

    /** Removes the queue from the index, remembering which stored messages it held. */
    void apply() {
        MessageQueue queue = index.remove(name);
        if (queue != null) {
            bodies.releaseAll(queue);
            if (ids == null) {
                ids = idsOf(queue);
            }
        }
    }

    @Override
    void addTo(Batch batch) {
        if (ids == null) {
            // sync mode: the queue is still visible and all it holds is committed
            MessageQueue queue = index.get(name);
            ids = queue == null ? new long[0] : idsOf(queue);
        }
        batch.drop(name, ids);
    }

    @Override
    void committed() {
        if (sync) {
            apply();
        }
    }

    private static long[] idsOf(MessageQueue queue) {
        return queue.snapshot().stream().mapToLong(Message::id).toArray();
    }
}
