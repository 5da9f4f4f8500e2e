package org.mcq.queues.api;

/** Told of each batch the writer commits, on the writer's thread: it must return at once. */
@FunctionalInterface
public interface CommitObserver {

    CommitObserver NONE = (ops, batchNanos, commitNanos) -> {
    };

    /**
     * @param ops         operations in the batch
     * @param batchNanos  the whole write: statements and commit
     * @param commitNanos the commit alone, where the database forces its log
     */
    void committed(int ops, long batchNanos, long commitNanos);
}
