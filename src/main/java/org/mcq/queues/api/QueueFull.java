package org.mcq.queues.api;

/** Why a {@code set} was refused: the queue is at its limit and its policy is to refuse. */
public final class QueueFull extends RuntimeException {
    public QueueFull() {
        super("queue full", null, false, false);
    }
}
