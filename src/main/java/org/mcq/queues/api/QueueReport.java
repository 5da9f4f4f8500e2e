package org.mcq.queues.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The figures of queues in name order, a page at a time: {@code stats queue} and {@code dump_stats}
 * are written from it as it is read, so a report of millions of queues is never held whole. Not
 * thread-safe: one reader, asking for the next page once the last one has come.
 */
public interface QueueReport {

    /**
     * The next page, empty once every queue was given; completes off the caller's thread when it
     * reads the database, and fails with {@link StorageException} if that read fails.
     */
    CompletableFuture<List<QueueDump>> next();

    /**
     * Every page, gathered into one list without waiting on this thread: for callers that need the
     * figures whole (a few queues, or the admin API's listing).
     */
    default CompletableFuture<List<QueueDump>> whole() {
        return gather(new ArrayList<>());
    }

    private CompletableFuture<List<QueueDump>> gather(List<QueueDump> all) {
        return next().thenCompose(page -> {
            if (page.isEmpty()) {
                return CompletableFuture.completedFuture(all);
            }
            all.addAll(page);
            return gather(all);
        });
    }

    /** A report of one page, asked for when the first page is: figures held whole, for few queues. */
    static QueueReport of(Supplier<CompletableFuture<List<QueueDump>>> whole) {
        return new QueueReport() {
            private boolean given;

            @Override
            public CompletableFuture<List<QueueDump>> next() {
                if (given) {
                    return CompletableFuture.completedFuture(List.of());
                }
                given = true;
                return whole.get();
            }
        };
    }

    /** A report of figures already at hand, in the order given: one page. */
    static QueueReport of(List<QueueDump> queues) {
        return of(() -> CompletableFuture.completedFuture(queues));
    }
}
