package org.mcq.admin.boundary;

import org.mcq.queues.api.QueueDump;


/** One queue as the admin API shows it (JSON). */
public record QueueView(String name, long messages, long bytes, long oldestAgeMs, long enqueued, long dequeued,
                        long openReads, long waiters, long expired, long discarded) {

    static QueueView of(QueueDump dump) {
        return new QueueView(dump.name(), dump.items(), dump.bytes(), dump.ageMillis(), dump.totalItems(),
                dump.consumed(), dump.openReads(), dump.waiters(), dump.expired(), dump.discarded());
    }
}
