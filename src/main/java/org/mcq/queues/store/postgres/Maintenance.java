package org.mcq.queues.store.postgres;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.mcq.queues.api.StorageException;

/** Runs changes that wait on the database off the callers' threads (a selector's, often). */
final class Maintenance {

    interface Change<T> {
        T run() throws StorageException;
    }

    private final Executor maintenance;

    Maintenance(Executor maintenance) {
        this.maintenance = maintenance;
    }

    <T> CompletableFuture<T> async(Change<T> change) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return change.run();
            } catch (StorageException e) {
                throw new CompletionException(e);
            }
        }, maintenance);
    }
}
