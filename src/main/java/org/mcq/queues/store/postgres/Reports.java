package org.mcq.queues.store.postgres;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.mcq.queues.api.StorageException;

/**
 * The shared store's reports ({@code stats}, {@code stats queue}, {@code dump_stats}, the metrics'
 * and the admin API's snapshots) and {@code flush_expired}: each a query over the table, run off the
 * caller's thread (a selector thread serves every connection of its selector), one at a time.
 * Clients may send reports at any rate (Zend_Queue sends {@code stats queue} whenever it is made):
 * run side by side they would each hold a connection of the pool the housekeeping needs for the
 * heartbeat, whose lapse lets other servers take this one's open reads. A report asked while the same
 * one waits its turn shares that run: it starts after both were asked, so both see every change made
 * before them, and a burst costs a query or two.
 */
final class Reports {

    interface Query<T> {
        T run() throws StorageException;
    }

    private record Job<T>(Object key, Query<T> query, CompletableFuture<T> result) {
    }

    private final Executor executor;
    private final ArrayDeque<Job<?>> queued = new ArrayDeque<>();
    /** Jobs not started yet that a request with the same key shares. */
    private final Map<Object, Job<?>> shareable = new HashMap<>();
    private boolean running;

    /** @param executor runs the queries (the maintenance executor), one at a time */
    Reports(Executor executor) {
        this.executor = executor;
    }

    /**
     * Runs the query after those asked before it; the same report ({@code key}, by equality) asked
     * again before this one starts gets this one's result. The stage completes on the executor.
     */
    <T> CompletableFuture<T> shared(Object key, Query<T> query) {
        return enqueue(key, query);
    }

    /** Runs the query after those asked before it, never shared (a change: each removes what it finds). */
    <T> CompletableFuture<T> alone(Query<T> query) {
        return enqueue(null, query);
    }

    private <T> CompletableFuture<T> enqueue(Object key, Query<T> query) {
        Job<T> job;
        boolean start;
        synchronized (this) {
            @SuppressWarnings("unchecked")
            Job<T> waiting = key == null ? null : (Job<T>) shareable.get(key);
            if (waiting != null) {
                return waiting.result().copy(); // a copy: one requester's cancel is not the others'
            }
            job = new Job<>(key, query, new CompletableFuture<>());
            queued.add(job);
            if (key != null) {
                shareable.put(key, job);
            }
            start = !running;
            running = true;
        }
        if (start) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                failQueued(e); // the server is stopping
            }
        }
        return job.result().copy();
    }

    /** Runs the queued jobs in order until none is left. */
    private void drain() {
        while (true) {
            Job<?> job;
            synchronized (this) {
                job = queued.poll();
                if (job == null) {
                    running = false;
                    return;
                }
                if (job.key() != null) {
                    shareable.remove(job.key(), job); // started: later requests need a run of their own
                }
            }
            run(job);
        }
    }

    private static <T> void run(Job<T> job) {
        try {
            job.result().complete(job.query().run());
        } catch (StorageException | RuntimeException e) {
            job.result().completeExceptionally(e);
        }
    }

    private void failQueued(RuntimeException cause) {
        List<Job<?>> failed;
        synchronized (this) {
            failed = new ArrayList<>(queued);
            queued.clear();
            shareable.clear();
            running = false;
        }
        failed.forEach(job -> job.result().completeExceptionally(cause));
    }
}
