package org.mcq.queues.store.postgres;

/** One operation a lane writes to the shared database, in the transaction of its batch. */
sealed interface SharedOp permits SharedOp.Insert, SharedOp.Confirm, SharedOp.Release, Take {

    String queue();

    /** Fails the operation: nothing of it was committed. */
    void fail(Throwable cause);

    /** A {@code set}: one new row, its id from the database's sequence. */
    record Insert(String queue, long flags, long storedAt, long expiresAt, byte[] body,
                  java.util.concurrent.CompletableFuture<Void> done) implements SharedOp {
        @Override
        public void fail(Throwable cause) {
            done.completeExceptionally(cause);
        }
    }

    /** A {@code close}: removes the row of an open read if this read still holds it; yields whether it did. */
    record Confirm(String queue, Lease lease, java.util.concurrent.CompletableFuture<Boolean> done) implements SharedOp {
        @Override
        public void fail(Throwable cause) {
            done.completeExceptionally(cause);
        }
    }

    /**
     * An {@code abort} or a reader gone: the row goes back to waiting, if this read still holds it;
     * yields whether it did. Failed, the lease times out or its server's heartbeat stops; either
     * returns the row.
     */
    record Release(String queue, Lease lease, Object reader, java.util.concurrent.CompletableFuture<Boolean> done)
            implements SharedOp {
        @Override
        public void fail(Throwable cause) {
            done.completeExceptionally(cause);
        }
    }
}
