package org.mcq.queues.store.postgres;

import java.util.concurrent.CompletableFuture;

/**
 * Changes to whole queues on the shared store: emptied ({@code flush}), cleared of what expired,
 * dropped ({@code delete}, {@code flush_all}); each waits on the database, off the caller's thread.
 */
final class WholeQueues {

    private final SharedReads reads;
    private final OpenReads openReads;
    private final Counters counters;
    private final LimitsByQueue limits;
    private final Reports reports;
    private final Maintenance maintenance;

    WholeQueues(SharedReads reads, OpenReads openReads, Counters counters, LimitsByQueue limits, Reports reports,
                Maintenance maintenance) {
        this.reads = reads;
        this.openReads = openReads;
        this.counters = counters;
        this.limits = limits;
        this.reports = reports;
        this.maintenance = maintenance;
    }

    CompletableFuture<Void> flush(String queue) {
        return maintenance.async(() -> {
            int removed = reads.purge(queue);
            openReads.forgetQueue(queue); // confirmed by the flush: this server's connections hold them no more
            counters.consumed(queue, removed);
            return null;
        });
    }

    /** In its turn among the reports (see {@link Reports}), never shared: each removes what it finds. */
    CompletableFuture<Integer> flushExpired(String queue) {
        return reports.alone(() -> {
            int removed = reads.purgeExpired(queue, System.currentTimeMillis(), limits.of(queue).maxAgeMillis());
            counters.expired(queue, removed);
            return removed;
        });
    }

    CompletableFuture<Boolean> delete(String queue) {
        return maintenance.async(() -> {
            limits.forget(queue);
            return reads.drop(queue);
        });
    }

    CompletableFuture<Void> flushAll() {
        return maintenance.async(() -> {
            limits.forgetAll();
            reads.dropAll();
            return null;
        });
    }

    CompletableFuture<Void> checkpoint() {
        return maintenance.async(() -> {
            reads.checkpoint();
            return null;
        });
    }
}
