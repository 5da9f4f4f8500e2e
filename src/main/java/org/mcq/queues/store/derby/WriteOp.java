package org.mcq.queues.store.derby;

import java.util.concurrent.CompletableFuture;

/** An operation whose effect the {@link GroupCommit} writer makes durable; {@link #done} completes when it may be acknowledged. */
abstract class WriteOp {

    /** What a refused batch does with an op (see {@link Carried}). */
    enum WhenRefused {
        /**
         * Undone ({@link #failed}) and failed to its caller: it takes effect only once written, so
         * nothing of it was seen, and its caller is still waiting.
         */
        FAIL,
        /**
         * Carried into the next batches until written; its caller may go on now: its effect is
         * already seen (or its caller was told already), so it cannot be taken back.
         */
        DEFER,
        /** Carried until written, and its caller waits for that (a stop that must write what was acknowledged). */
        RETRY
    }

    final CompletableFuture<Void> done = new CompletableFuture<>();
    /** When it was submitted ({@link System#nanoTime}): how far behind the writer is. */
    long submittedAt;

    abstract void addTo(Batch batch);

    /** What a refused batch does with it. */
    abstract WhenRefused whenRefused();

    /** Bytes of body only this op holds until it is written (bounds the no-sync backlog). */
    int bytes() {
        return 0;
    }

    /** Bytes of body this op writes: with the op itself, what writing it costs (see {@link Intake#work}). */
    int writtenBytes() {
        return 0;
    }

    /**
     * What writing it costs, in units of about one row's cost (see {@link Intake#work}): the op, and
     * its body in units of {@code bytesPerUnit}.
     */
    long work(int bytesPerUnit) {
        return 1 + writtenBytes() / bytesPerUnit;
    }

    /** Runs after the commit, in submission order (the in-memory effects of an op that waited for it). */
    void committed() {
    }

    /** Runs when the commit failed and the op is not carried, to undo what was done early. */
    void failed() {
    }

    /** Whether the writer should not wait for its interval to write this (no-sync mode). */
    boolean urgent() {
        return false;
    }
}
