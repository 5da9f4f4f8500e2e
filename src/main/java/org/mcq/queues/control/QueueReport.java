package org.mcq.queues.control;

import java.util.List;
import java.util.concurrent.CompletableFuture;

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
    CompletableFuture<List<QueueSet.QueueDump>> next();

    /** A report of figures already at hand, in the order given: one page. */
    static QueueReport of(List<QueueSet.QueueDump> queues) {
        return new QueueReport() {
            private boolean given;

            @Override
            public CompletableFuture<List<QueueSet.QueueDump>> next() {
                List<QueueSet.QueueDump> page = given ? List.of() : queues;
                given = true;
                return CompletableFuture.completedFuture(page);
            }
        };
    }
}
