package org.mcq.queues.store.postgres;

/**
 * An open read this server holds: the row's id and the token written with it (a close or an abort
 * matches both, so a row whose lease was taken over is left alone), when it times out here, and when
 * it was taken ({@link System#nanoTime}: a lease taken before this server went silent may be lost).
 */
record Lease(String queue, long id, long token, long expiresAtMillis, long takenAtNanos) {
}
