package org.mcq.queues.api;

/** One queue's block of {@code dump_stats}, as Kestrel reports it. */
public record QueueDump(String name, int items, long bytes, long ageMillis, int openReads, int waiters,
                        long expired, long discarded, long totalItems, long consumed) {
}
