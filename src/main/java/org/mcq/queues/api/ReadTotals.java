package org.mcq.queues.api;

/**
 * What {@code stats} adds up of the reads: held open and waiting now, open reads timed out, and
 * messages never delivered: expired, or discarded to make room.
 */
public record ReadTotals(int openReads, int waiters, long openTimeouts, long expired, long discarded) {
}
