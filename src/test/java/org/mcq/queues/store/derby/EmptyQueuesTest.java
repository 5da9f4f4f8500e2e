package org.mcq.queues.store.derby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueStats;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.rules.QueueLimits;

/**
 * Empty queues put aside (issue 19 f): an emptied queue leaves memory once its counters are on disk,
 * and exists all the same: counted, listed, reported and deleted from its record; made again by
 * name, it counts on from its record; a restart leaves it on disk.
 */
class EmptyQueuesTest {

    private static final Room ANY_SIZE = Room.UNLIMITED;
    private static final Object READER = new Object();

    private final MemoryStore store = new MemoryStore();
    private final RunningQueues running = new RunningQueues(store);
    private QueueSet queues;

    /** Counters written every 10 ms, so queues are put aside within a few batches. */
    private QueueSet start(boolean sync, long idleDropMillis) {
        QueueSet.Settings settings = new QueueSet.Settings(sync, 5, 1 << 20, 10, 0, false, idleDropMillis);
        try {
            queues = running.start(settings, name -> QueueLimits.NONE);
        } catch (StorageException e) {
            throw new AssertionError(e);
        }
        return queues;
    }

    @AfterEach
    void stop() throws Exception {
        running.stop();
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return RunningQueues.await(future);
    }

    /** Polls until the condition holds, for up to 10 s, as the server's counters timer would nudge the writer. */
    private boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10); // the counters interval, between polls of the condition
            queues.writeCounters();
        }
        return true;
    }

    private void setAndPop(String queue) throws Exception {
        await(queues.set(queue, 0, 0, "x".getBytes()));
        assertEquals("x", new String(await(queues.get(queue, ANY_SIZE)).body()));
    }

    private static QueueDump putAside(String name, long stored, long consumed) {
        return new QueueDump(name, 0, 0, 0, 0, 0, 0, 0, stored, consumed);
    }

    @Test
    void anEmptiedQueueLeavesMemoryOnceItsCountersAreWrittenAndStillExists() throws Exception {
        start(true, 0);
        setAndPop("q");
        assertTrue(eventually(() -> queues.queuesInMemory() == 0), "put aside");
        assertEquals(1, queues.queueCount());
        assertEquals(List.of(1L, 1L), store.records().get("q"));
        assertEquals(List.of(putAside("q", 1, 1)), queues.dump(List.of("q")).join());
        assertEquals(List.of(new QueueStats("q", 1, 1, 0)), queues.stats());
        assertNull(await(queues.get("q", ANY_SIZE)), "empty, and a get does not bring it back");
        assertEquals(0, queues.queuesInMemory());
        assertTrue(await(queues.delete("q")), "it exists: its record says so");
        assertFalse(await(queues.delete("q")));
        assertFalse(await(queues.delete("never-made")));
        assertEquals(0, queues.queueCount());
        assertEquals(List.of(), queues.stats());
    }

    @Test
    void aQueueMadeAgainCountsOnFromItsRecord() throws Exception {
        start(true, 0);
        setAndPop("q");
        assertTrue(eventually(() -> queues.queuesInMemory() == 0));
        await(queues.set("q", 0, 0, "y".getBytes()));
        QueueDump now = queues.dump(List.of("q")).join().get(0);
        assertEquals(1, now.items());
        assertEquals(2, now.totalItems(), "its record's one and the new one, before its counters are written");
        assertEquals(1, now.consumed());
        assertTrue(eventually(() -> List.of(2L, 1L).equals(store.records().get("q"))), "written from its record on");
        assertEquals(1, queues.queueCount());
        await(queues.get("q", ANY_SIZE));
        assertTrue(eventually(() -> queues.queuesInMemory() == 0 && List.of(2L, 2L).equals(store.records().get("q"))));
    }

    @Test
    void aQueueReadOpenStaysInMemoryUntilTheReadIsClosed() throws Exception {
        start(true, 0);
        await(queues.set("q", 0, 0, "x".getBytes()));
        await(queues.read("q", ReadMode.OPEN, READER, ANY_SIZE, 0));
        for (int i = 0; i < 10; i++) {
            Thread.sleep(10); // several counter writes: none may put it aside while it is read open
            queues.writeCounters();
        }
        assertEquals(1, queues.queuesInMemory());
        assertEquals(1, queues.dump(List.of("q")).join().get(0).openReads());
        await(queues.close("q", READER));
        assertTrue(eventually(() -> queues.queuesInMemory() == 0));
    }

    @Test
    void withIdleQueuesDroppedNoneIsPutAside() throws Exception {
        start(true, 60_000);
        setAndPop("q");
        assertTrue(eventually(() -> List.of(1L, 1L).equals(store.records().get("q"))));
        Thread.sleep(10);
        queues.writeCounters();
        assertEquals(1, queues.queuesInMemory(), "the idle sweep finds it in memory");
    }

    @Test
    void aRestartLeavesEmptyQueuesOnDiskAndBringsBackThoseWithMessages() throws Exception {
        start(true, 0);
        for (int i = 0; i < 50; i++) {
            setAndPop("empty-" + i);
        }
        await(queues.set("full", 0, 0, "kept".getBytes()));
        stop();
        start(true, 0);
        assertEquals(1, queues.queuesInMemory(), "only the queue holding a message");
        assertEquals(51, queues.queueCount());
        assertEquals(51, queues.stats().size());
        assertEquals(putAside("empty-7", 1, 1), queues.dump(List.of("empty-7")).join().get(0));
        assertEquals("kept", new String(await(queues.get("full", ANY_SIZE)).body()));
    }

    @Test
    void countersACrashLeftBehindAreReconciledWrittenAndPutAside() throws Exception {
        store.counters.put("z", new long[] {5, 3}); // two pops of it were on disk, their counters not
        start(true, 0);
        assertEquals(List.of(new QueueStats("z", 5, 5, 0)), queues.stats());
        assertTrue(eventually(() -> queues.queuesInMemory() == 0 && List.of(5L, 5L).equals(store.records().get("z"))));
    }

    @Test
    void inNoSyncModeADeletedQueueIsGoneAtOnceThoughItsRecordIsNotYet() throws Exception {
        start(false, 0);
        setAndPop("q");
        assertTrue(eventually(() -> queues.queuesInMemory() == 0));
        assertTrue(await(queues.delete("q")));
        assertEquals(List.of(), queues.dump(List.of("q")).join());
        assertFalse(await(queues.delete("q")));
        await(queues.set("q", 0, 0, "new".getBytes()));
        assertEquals(1, queues.dump(List.of("q")).join().get(0).totalItems(), "made again after its drop: from nothing");
        assertTrue(eventually(() -> List.of(1L, 0L).equals(store.records().get("q"))));
    }
}
