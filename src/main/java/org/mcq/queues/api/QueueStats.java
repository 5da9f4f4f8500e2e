package org.mcq.queues.api;

/** One line of {@code stats queue}. */
public record QueueStats(String name, long stored, long consumed, int size) {
}
