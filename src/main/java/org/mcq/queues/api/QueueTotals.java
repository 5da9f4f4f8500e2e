package org.mcq.queues.api;

/** What {@code stats} reports of the queues. */
public record QueueTotals(long startedAtMillis, int queues, long messages, long cachedBytes, boolean sync, long batches,
              long committedOps, long failedWrites, ReadTotals reads) {
}
