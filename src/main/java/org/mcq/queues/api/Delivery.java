package org.mcq.queues.api;

/** A message handed to a consumer. */
public record Delivery(long id, long flags, byte[] body) {
}
