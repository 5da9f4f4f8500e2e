package org.mcq.queues.api;

/**
 * Why a {@code close} confirmed nothing where the worker may think it did: its read was held on a
 * server that went silent past the takeover time, so the others may have given it back and
 * delivered it again (shared store).
 */
public final class OpenReadLost extends RuntimeException {
    public OpenReadLost() {
        super("open read lost: this server was silent past mcq.db.takeover.s and another may have delivered it",
                null, false, false);
    }
}
