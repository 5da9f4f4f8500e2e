package org.mcq.queues.control;

import java.util.concurrent.CompletableFuture;

/** An operation whose effect the {@link GroupCommit} writer makes durable; {@link #done} completes when it may be acknowledged. */
abstract class WriteOp {

    final CompletableFuture<Void> done = new CompletableFuture<>();
    /** When it was submitted ({@link System#nanoTime}): how far behind the writer is. */
    long submittedAt;

    abstract void addTo(Batch batch);

    /** Bytes of body only this op holds until it is written (bounds the no-sync backlog). */
    int bytes() {
        return 0;
    }

    /** Bytes of body this op writes: with the op itself, what writing it costs (see {@link Intake#work}). */
    int writtenBytes() {
        return 0;
    }

    /** Runs after the commit, in submission order (sync mode's in-memory effects). */
    void committed() {
    }

    /** Runs when the commit failed and the op is not carried, to undo what was done early. */
    void failed() {
    }

    /** Whether the caller may go on while the write is retried (a consumed message's removal). */
    boolean deferrable() {
        return false;
    }

    /** Whether the writer should not wait for its interval to write this (no-sync mode). */
    boolean urgent() {
        return false;
    }
}
