package org.mcq.queues.store.postgres;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueReport;
import org.mcq.queues.api.QueueTotals;
import org.mcq.queues.api.ReadTotals;

/**
 * What is reported of the shared store's queues ({@code dump_stats}, {@code stats queue}, the
 * metrics' deepest, totals): asked of the database in turn (see {@link Reports}), with this server's
 * own figures added.
 */
final class QueueFigures {

    /** Queues per page of a listing of every queue: about 30 KB of {@code stats queue}. */
    static final int REPORT_PAGE = 1000;

    private final SharedReads reads;
    private final Reports reports;
    private final Waiters waiters;
    private final OpenReads openReads;
    private final Counters counters;
    private final Lane[] lanes;
    private final boolean sync;
    private final long startedAtMillis = System.currentTimeMillis();

    QueueFigures(SharedReads reads, Reports reports, Waiters waiters, OpenReads openReads, Counters counters, Lane[] lanes,
                 boolean sync) {
        this.reads = reads;
        this.reports = reports;
        this.waiters = waiters;
        this.openReads = openReads;
        this.counters = counters;
        this.lanes = lanes;
        this.sync = sync;
    }

    CompletableFuture<List<QueueDump>> dump(List<String> queues) {
        List<String> names = List.copyOf(queues);
        return reports.shared(List.of("dump", names), () -> reads.dump(names, waiters.counts()));
    }

    /** The metrics' series: asked of the database, not made from a listing of every queue. */
    CompletableFuture<List<QueueDump>> deepest(int limit) {
        return reports.shared(List.of("deepest", limit), () -> reads.deepest(Math.max(0, limit), waiters.counts()));
    }

    /**
     * Every queue page by page, each page a report in its turn (see {@link Reports}), never shared:
     * each starts where the last one ended. A few named queues are one page.
     */
    QueueReport report(List<String> queues) {
        if (!queues.isEmpty()) {
            return QueueReport.of(() -> dump(queues));
        }
        return new QueueReport() {
            private String after = "";
            private boolean done;

            @Override
            public CompletableFuture<List<QueueDump>> next() {
                if (done) {
                    return CompletableFuture.completedFuture(List.of());
                }
                return reports.alone(() -> reads.dumpPage(after, REPORT_PAGE, waiters.counts())).thenApply(page -> {
                    done = page.size() < REPORT_PAGE;
                    after = page.isEmpty() ? after : page.get(page.size() - 1).name();
                    return page;
                });
            }
        };
    }

    CompletableFuture<List<Long>> headIds(String queue, int limit) {
        return reports.shared(List.of("head", queue, limit), () -> reads.headIds(queue, limit));
    }

    CompletableFuture<QueueTotals> totals() {
        return reports.shared("totals", reads::totals).thenApply(this::totals);
    }

    /** The database's totals with this server's own figures. */
    private QueueTotals totals(SharedReads.Totals totals) {
        long batches = 0;
        long ops = 0;
        long failures = 0;
        for (Lane lane : lanes) {
            batches += lane.batches;
            ops += lane.ops;
            failures += lane.failures;
        }
        int waiting = waiters.counts().values().stream().mapToInt(Integer::intValue).sum();
        return new QueueTotals(startedAtMillis, totals.queues(), totals.messages(), 0, sync, batches, ops, failures,
                new ReadTotals(totals.openReads(), waiting, openReads.timedOut(), counters.expired.get(),
                        counters.discarded.get()));
    }
}
