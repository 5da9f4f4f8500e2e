package org.mcq.queues.control;

/** Drops one queue with its messages (memcache's {@code delete}). */
final class Drop extends WriteOp {

    private final QueueIndex index;
    private final Bodies bodies;
    /** It takes effect once committed, failed if its batch is refused; else the caller applied it at once. */
    private final boolean appliesWhenWritten;
    private final String name;
    private long[] ids;

    Drop(QueueIndex index, Bodies bodies, boolean appliesWhenWritten, String name) {
        this.index = index;
        this.bodies = bodies;
        this.appliesWhenWritten = appliesWhenWritten;
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
            // applied once written: the queue is still visible and all it holds is committed
            MessageQueue queue = index.get(name);
            ids = queue == null ? new long[0] : idsOf(queue);
        }
        batch.drop(name, ids);
    }

    /** A caller waits for it, in no-sync mode too. */
    @Override
    boolean urgent() {
        return appliesWhenWritten;
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

    private static long[] idsOf(MessageQueue queue) {
        return queue.snapshot().stream().mapToLong(Message::id).toArray();
    }
}
