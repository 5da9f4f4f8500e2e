package org.mcq.queues.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mcq.queues.api.StorageException;

/**
 * The shared store's reports run off the caller's thread, one at a time (a burst of them holds one
 * database connection, not one each), and the same report asked while one waits its turn shares it.
 */
class ReportsTest {

    private final HeldExecutor executor = new HeldExecutor();
    private final Reports reports = new Reports(executor);
    private final List<String> ran = new ArrayList<>();

    private Reports.Query<String> query(String name) {
        return () -> {
            ran.add(name);
            return name + " " + ran.size();
        };
    }

    @Test
    void nothingRunsOnTheCallersThread() {
        CompletableFuture<String> totals = reports.shared("totals", query("totals"));
        assertFalse(totals.isDone());
        assertEquals(List.of(), ran);
        executor.runAll();
        assertEquals("totals 1", totals.join());
    }

    @Test
    void theSameReportAskedWhileOneWaitsSharesIt() {
        CompletableFuture<String> first = reports.shared("totals", query("totals"));
        CompletableFuture<String> second = reports.shared("totals", query("totals"));
        CompletableFuture<String> other = reports.shared("dump", query("dump"));
        executor.runAll();
        assertEquals(List.of("totals", "dump"), ran, "one run for both, in the order asked");
        assertEquals("totals 1", first.join());
        assertEquals("totals 1", second.join());
        assertEquals("dump 2", other.join());
    }

    @Test
    void aReportAskedOnceOneHasStartedGetsARunOfItsOwn() throws Exception {
        ExecutorService threads = Executors.newSingleThreadExecutor();
        try {
            Reports running = new Reports(threads);
            CompletableFuture<Void> started = new CompletableFuture<>();
            CompletableFuture<Void> release = new CompletableFuture<>();
            AtomicInteger runs = new AtomicInteger();
            CompletableFuture<Integer> first = running.shared("totals", () -> {
                started.complete(null);
                release.join();
                return runs.incrementAndGet();
            });
            started.get(10, TimeUnit.SECONDS);
            CompletableFuture<Integer> second = running.shared("totals", runs::incrementAndGet);
            release.complete(null);
            assertEquals(1, first.get(10, TimeUnit.SECONDS));
            assertEquals(2, second.get(10, TimeUnit.SECONDS), "it may not miss what came after the first began");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void reportsRunOneAtATime() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            Reports serial = new Reports(threads);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<CompletableFuture<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                all.add(serial.alone(() -> {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    inside.decrementAndGet();
                    return 0;
                }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(1, most.get(), "queries at once");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void changesAreNeverShared() {
        CompletableFuture<String> first = reports.alone(query("flush_expired q"));
        CompletableFuture<String> second = reports.alone(query("flush_expired q"));
        executor.runAll();
        assertEquals(2, ran.size());
        assertEquals("flush_expired q 1", first.join());
        assertEquals("flush_expired q 2", second.join());
    }

    @Test
    void aFailedQueryFailsItsStageAndTheNextRuns() {
        CompletableFuture<String> failed = reports.shared("totals", () -> {
            throw new StorageException("database: gone", null);
        });
        CompletableFuture<String> next = reports.shared("dump", query("dump"));
        executor.runAll();
        ExecutionException e = assertThrows(ExecutionException.class, failed::get);
        assertInstanceOf(StorageException.class, e.getCause());
        assertEquals("dump 1", next.join());
    }

    @Test
    void anExecutorThatRefusesFailsTheReport() {
        Reports stopping = new Reports(task -> {
            throw new RejectedExecutionException("stopped");
        });
        CompletableFuture<String> report = stopping.shared("totals", query("totals"));
        assertTrue(report.isCompletedExceptionally());
        CompletableFuture<String> later = stopping.shared("totals", query("totals"));
        assertTrue(later.isCompletedExceptionally(), "tried again, refused again, not left waiting");
        assertEquals(List.of(), ran);
    }
}
