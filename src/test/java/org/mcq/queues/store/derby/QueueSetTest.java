package org.mcq.queues.store.derby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueFull;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.QueueStats;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.rules.QueueLimits;

/** The queue logic against an in-memory store, with the writer running on its own thread. */
class QueueSetTest {

    private static final Room ANY_SIZE = Room.UNLIMITED;
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "test-timers");
        thread.setDaemon(true);
        return thread;
    });
    /** Two connections, as the bridge passes them: any objects compared by identity. */
    private static final Object WORKER = new Object();
    private static final Object OTHER = new Object();

    private final MemoryStore store = new MemoryStore();
    private QueueSet queues;
    private Thread writerThread;
    private boolean writerStopped;

    private QueueSet start(boolean sync, long budget) throws Exception {
        return start(new QueueSet.Settings(sync, 20, budget, 1000, 0, false, 0));
    }

    private QueueSet start(QueueSet.Settings settings) throws Exception {
        return start(settings, name -> QueueLimits.NONE);
    }

    private QueueSet start(QueueSet.Settings settings, java.util.function.Function<String, QueueLimits> limits)
            throws Exception {
        queues = new QueueSet(store, Runnable::run, Runnable::run, TIMERS, settings, limits);
        queues.load();
        writerThread = new Thread(queues.writer(), "test-writer");
        writerStopped = false;
        writerThread.start();
        return queues;
    }

    @AfterEach
    void stop() throws Exception {
        if (queues != null && !writerStopped) { // a second stop would wait its timeout for a writer that is gone
            store.failing = false; // a test that failed half-way may have left the disk failing or stalled
            CountDownLatch stall = store.stall;
            store.stall = null;
            if (stall != null) {
                stall.countDown();
            }
            stopWriter();
        }
    }

    /** Stops the writer as the server does, and waits for its thread to end. */
    private void stopWriter() throws Exception {
        writerStopped = true;
        queues.writer().stop(10_000);
        writerThread.join(10_000);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    /** Polls an observable condition until it holds, for up to 10 s; whether it did. */
    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5); // between polls of the condition
        }
        return true;
    }

    private CompletableFuture<Void> set(String body) {
        return queues.set("q", 0, 0, body.getBytes());
    }

    private static String text(Delivery delivery) {
        return delivery == null ? null : new String(delivery.body());
    }

    @Test
    void messagesComeOutInFifoOrderAndAreOnDiskWhenAcknowledged() throws Exception {
        start(true, 1 << 20);
        for (int i = 0; i < 5; i++) {
            await(queues.set("q", i, 0, ("m" + i).getBytes()));
            assertEquals(i + 1, store.bodiesOf("q").size(), "stored before it was acknowledged");
        }
        for (int i = 0; i < 5; i++) {
            Delivery delivery = await(queues.get("q", ANY_SIZE));
            assertEquals("m" + i, text(delivery));
            assertEquals(i, delivery.flags());
            assertEquals(4 - i, store.bodiesOf("q").size(), "removed from disk before it was delivered");
        }
        assertNull(await(queues.get("q", ANY_SIZE)));
    }

    /**
     * A producer and a worker at one connection each, on a disk whose every write takes 20 ms:
     * without the writer waiting for the callers it just released, each one's next operation
     * arrives while the other's commit is being written, and they take turns, one per commit.
     */
    @Test
    void twoClientsSendingOneOperationAtATimeShareTheirCommits() throws Exception {
        start(true, 1 << 20);
        store.writeMillis = 20;
        int rounds = 30;
        for (int i = 0; i < rounds; i++) {
            await(set("primed" + i));
        }
        int primingBatches = store.batches.size();
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < rounds; i++) {
                set("new" + i).join();
            }
        });
        for (int i = 0; i < rounds; i++) {
            assertEquals("primed" + i, text(await(queues.get("q", ANY_SIZE))));
        }
        producer.get(30, TimeUnit.SECONDS);
        int batches;
        synchronized (store) {
            batches = store.batches.size() - primingBatches;
        }
        // 60 operations: 30 commits if they pair up from the start, up to 60 if they take turns
        assertTrue(batches <= 40, "operations of two clients in " + batches + " commits");
    }

    @Test
    void anUnknownQueueIsNotCreatedByAGet() throws Exception {
        start(true, 1 << 20);
        assertNull(await(queues.get("nobody", ANY_SIZE)));
        assertTrue(queues.stats().isEmpty());
    }

    @Test
    void aRefusedSetIsNotStoredAndAGetStillServesWhatIsStored() throws Exception {
        start(true, 1 << 20);
        await(queues.set("q", 0, 0, "kept".getBytes()));
        store.failing = true;
        CompletionException refused = assertThrows(CompletionException.class, () -> queues.set("q", 0, 0, "lost".getBytes()).join());
        assertTrue(refused.getCause() instanceof StorageException);
        assertEquals("kept", text(await(queues.get("q", ANY_SIZE))), "served while writes fail");
        assertNull(await(queues.get("q", ANY_SIZE)), "the refused message was never queued");
        assertTrue(queues.writer().failure() != null);
        store.failing = false;
        await(queues.set("q", 0, 0, "after".getBytes()));
        assertNull(queues.writer().failure());
        assertEquals(List.of("after"), store.bodiesOf("q"), "the removal made while failing was written since");
    }

    @Test
    void noSyncModeAcknowledgesAtOnceAndWritesWithinTheInterval() throws Exception {
        start(false, 1 << 20);
        CompletableFuture<Void> set = queues.set("q", 0, 0, "fast".getBytes());
        assertTrue(set.isDone(), "acknowledged without waiting for the disk");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.bodiesOf("q").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5); // polling the store for the interval's write
        }
        assertEquals(List.of("fast"), store.bodiesOf("q"));
    }

    @Test
    void noSyncRefusesSetsWhileTheStoreFailsAndWritesWhatItAcknowledged() throws Exception {
        start(false, 1 << 20);
        store.failing = true;
        assertTrue(set("acked-1").isDone(), "acknowledged at once: the writer has not failed yet");
        assertTrue(set("acked-2").isDone());
        assertTrue(eventually(() -> queues.writer().failure() != null), "the writer reports the failure");

        long asked = System.nanoTime();
        ExecutionException refused = assertThrows(ExecutionException.class, () -> await(set("refused")));
        long answeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
        assertTrue(refused.getCause() instanceof StorageException, "refused as in sync mode: " + refused.getCause());
        assertTrue(answeredMillis < 5_000, "refused within the writer's retry period: " + answeredMillis + " ms");
        assertEquals("acked-1", text(await(queues.get("q", ANY_SIZE))), "served while writes fail");

        store.failing = false;
        assertTrue(eventually(() -> queues.writer().failure() == null), "the retry of what was acknowledged succeeded");
        // the take of acked-1 waited out the outage unwritten: older than two intervals, it makes sets wait
        // until the writer catches up, which a loaded machine shows (1 run in 7 with four busy threads)
        assertTrue(eventually(() -> !queues.writer().backlogged()), "the writer catches up with what the outage held");
        assertTrue(set("after").isDone(), "acknowledged at once again");
        assertEquals(2, queues.depth(), "the refused message never joined the queue");
        stopWriter();
        assertEquals(List.of("acked-2", "after"), store.bodiesOf("q"), "what was acknowledged is written, nothing refused");
    }

    @Test
    void aNoSyncSetWaitingForAStalledDiskIsAnsweredOnceTheDiskFails() throws Exception {
        start(new QueueSet.Settings(false, 100, 1 << 20, 1000, 0, false, 0));
        CountDownLatch stall = new CountDownLatch(1);
        store.stall = stall;
        assertTrue(set("stalled").isDone());
        assertTrue(eventually(() -> store.writes.get() == 1 && queues.writer().backlogged()), "the commit stalls");
        CompletableFuture<Void> waiting = set("waiting");
        assertFalse(waiting.isDone(), "waits for the stalled disk");

        store.failing = true;
        store.stall = null;
        stall.countDown();
        await(waiting); // STORED: it is queued and visible already, and retried until written
        ExecutionException refused = assertThrows(ExecutionException.class, () -> await(set("refused")));
        assertTrue(refused.getCause() instanceof StorageException);

        store.failing = false;
        stopWriter();
        assertEquals(List.of("stalled", "waiting"), store.bodiesOf("q"));
    }

    @Test
    void setsHeldDuringAnOutageTakeEffectBeforeTheSetsAfterIt() throws Exception {
        start(false, 1 << 20);
        store.failing = true;
        assertTrue(set("acked").isDone());
        assertTrue(eventually(() -> queues.writer().failure() != null));
        CountDownLatch retry = new CountDownLatch(1);
        int writes = store.writes.get();
        store.stall = retry;
        assertTrue(eventually(() -> store.writes.get() > writes), "the writer retries what was acknowledged");
        CompletableFuture<Void> held = set("held"); // the writer still reports the failure
        assertFalse(held.isDone(), "held until written");

        store.failing = false;
        CountDownLatch next = new CountDownLatch(1);
        store.stall = next;
        int retried = store.writes.get();
        retry.countDown();
        assertTrue(eventually(() -> store.writes.get() > retried), "the writer writes the held set");
        assertNull(queues.writer().failure(), "writes succeed again");
        CompletableFuture<Void> after = set("after");
        assertFalse(after.isDone(), "held too: acknowledged at once, it would join before the held one");

        store.stall = null;
        next.countDown();
        await(held);
        await(after);
        assertEquals(List.of("acked", "held", "after"), drain());
        assertTrue(set("at once").isDone(), "acknowledged at once once the held ones are written");
    }

    @Test
    void noSyncSetsWaitForTheDiskOnceAStalledCommitHoldsWritesTwoIntervalsOld() throws Exception {
        // long enough that the set just after the stall began is well within two intervals on a busy machine
        long interval = 1000;
        start(new QueueSet.Settings(false, interval, 1 << 20, 1000, 0, false, 0));
        CountDownLatch stall = new CountDownLatch(1);
        store.stall = stall;
        long first = System.nanoTime();
        assertTrue(set("stalled").isDone());
        assertTrue(eventually(() -> store.writes.get() == 1), "the writer is in the stalled commit");
        assertTrue(set("early").isDone(), "acknowledged at once while the oldest unwritten set is under two intervals old");
        assertTrue(eventually(() -> queues.writer().backlogged()), "callers are made to wait for the disk");
        long lagMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - first);
        assertTrue(lagMillis >= 2 * interval, "callers wait once it is two intervals old, not after " + lagMillis + " ms");
        CompletableFuture<Void> waiting = set("waiting");
        assertFalse(waiting.isDone(), "waits for the disk: the unwritten sets a crash could lose stay within two intervals");

        store.stall = null;
        stall.countDown();
        await(waiting);
        assertEquals(List.of("stalled", "early", "waiting"), store.bodiesOf("q"), "on disk when acknowledged");
    }

    @Test
    void aMessagePoppedBeforeTheNoSyncWriterTookItIsNeverWrittenNorDeleted() throws Exception {
        // an interval the test never reaches: the writer takes the ops only when stopped
        start(new QueueSet.Settings(false, 600_000, 1 << 20, 1000, 0, false, 0));
        await(queues.set("q", 0, 0, "popped".getBytes()));
        await(queues.set("q", 0, 0, "kept".getBytes()));
        Delivery popped = await(queues.get("q", ANY_SIZE));
        assertEquals("popped", text(popped));
        stopWriter(); // writes what is pending
        assertEquals(List.of("kept"), store.bodiesOf("q"));
        for (Batch batch : store.batches) {
            batch.inserts().forEach(insert -> assertNotEquals(popped.id(), insert.id(), "no row was written"));
            assertFalse(batch.deletes().contains(popped.id()), "so none was deleted");
        }
    }

    @Test
    void aLastBatchRefusedOnceIsWrittenOnRetryAndTheWriterEnds() throws Exception {
        // an interval the test never reaches: the batch holding the last flush is the first one written
        start(new QueueSet.Settings(false, 600_000, 1 << 20, 1000, 0, false, 0));
        await(queues.set("q", 0, 0, "pending".getBytes()));
        store.refusals = 1;
        stopWriter();
        assertFalse(writerThread.isAlive(), "the writer waits for work after its last batch was written on retry");
        assertFalse(queues.writer().alive());
        assertEquals(List.of("pending"), store.bodiesOf("q"), "the refused last batch was written on retry");
    }

    /** Counts what is reserved and not given back; refuses sizes over {@code max}. */
    private static final class CountingRoom implements Room {
        final int max;
        int held;

        CountingRoom(int max) {
            this.max = max;
        }

        @Override
        public boolean reserve(int bytes) {
            if (bytes > max) {
                return false;
            }
            held += bytes;
            return true;
        }

        @Override
        public void release(int bytes) {
            held -= bytes;
        }
    }

    @Test
    void aConsumerWithoutRoomTakesNothing() throws Exception {
        start(true, 1 << 20);
        await(queues.set("q", 0, 0, "0123456789".getBytes()));
        CountingRoom small = new CountingRoom(9);
        assertTrue(queues.get("q", small) == QueueOperations.NO_ROOM);
        assertEquals(0, small.held);
        CountingRoom enough = new CountingRoom(10);
        assertEquals("0123456789", text(await(queues.get("q", enough))));
        assertEquals(10, enough.held, "the room stays reserved for the reply");
    }

    @Test
    void aGetRefusedByAStoppingWriterLeavesTheMessageAndGivesItsRoomBack() throws Exception {
        for (boolean sync : new boolean[] {true, false}) {
            start(sync, 1 << 20);
            await(queues.set("q", 0, 0, "kept".getBytes()));
            queues.writer().stop(10_000);
            CountingRoom room = new CountingRoom(100);
            CompletableFuture<Delivery> refused = queues.get("q", room);
            assertThrows(Exception.class, () -> await(refused), "sync=" + sync);
            assertEquals(0, room.held, "room given back, sync=" + sync);
            assertEquals(1, queues.depth(), "the message is still queued, sync=" + sync);
            writerThread.join(10_000);
            queues = null;
            store.clear();
        }
    }

    @Test
    void bodiesBeyondTheBudgetAreReadBackFromTheStore() throws Exception {
        start(true, 10);
        await(queues.set("q", 0, 0, "0123456789".getBytes()));
        await(queues.set("q", 0, 0, "over budget".getBytes()));
        assertEquals(10, queues.cachedBytes());
        assertEquals("0123456789", text(await(queues.get("q", ANY_SIZE))));
        assertEquals("over budget", text(await(queues.get("q", ANY_SIZE))), "read back from the store");
        assertEquals(0, queues.cachedBytes());
    }

    @Test
    void deleteDropsTheQueueEverywhere() throws Exception {
        start(true, 1 << 20);
        await(queues.set("q", 0, 0, "a".getBytes()));
        await(queues.set("q", 0, 0, "b".getBytes()));
        assertTrue(await(queues.delete("q")));
        assertFalse(await(queues.delete("q")));
        assertTrue(store.bodiesOf("q").isEmpty());
        assertTrue(queues.stats().isEmpty());
    }

    @Test
    void aRestartRebuildsTheQueuesAndReconcilesTheCounters() throws Exception {
        start(true, 1 << 20);
        for (int i = 0; i < 4; i++) {
            await(queues.set("q", 0, 0, ("m" + i).getBytes()));
        }
        await(queues.get("q", ANY_SIZE));
        stop();
        QueueSet restarted = new QueueSet(store, Runnable::run, Runnable::run, TIMERS,
                new QueueSet.Settings(true, 20, 1 << 20, 1000, 0, false, 0), name -> QueueLimits.NONE);
        restarted.load();
        QueueStats stats = restarted.stats().get(0);
        assertEquals(4, stats.stored());
        assertEquals(1, stats.consumed());
        assertEquals(3, stats.size());
        queues = null;
    }

    private CompletableFuture<Delivery> open(Object reader) {
        return queues.read("q", ReadMode.OPEN, reader, ANY_SIZE, 0);
    }

    private void setAll(String... bodies) throws Exception {
        for (String body : bodies) {
            await(queues.set("q", 0, 0, body.getBytes()));
        }
    }

    private List<String> drain() throws Exception {
        List<String> left = new java.util.ArrayList<>();
        String next;
        while ((next = text(await(queues.get("q", ANY_SIZE)))) != null) {
            left.add(next);
        }
        return left;
    }

    @Test
    void anOpenReadLeavesTheDiskUntilItIsClosed() throws Exception {
        start(true, 1 << 20);
        setAll("a", "b");
        assertEquals("a", text(await(open(WORKER))));
        assertEquals(List.of("a", "b"), store.bodiesOf("q"), "opening removes nothing from disk");
        assertEquals(1, queues.readTotals().openReads());
        await(queues.close("q", WORKER));
        assertEquals(List.of("b"), store.bodiesOf("q"), "confirmed on disk when the close completes");
        await(queues.close("q", WORKER)); // nothing open: nothing happens
        assertEquals(List.of("b"), drain());
        assertEquals(0, queues.readTotals().openReads());
    }

    @Test
    void readsGivenBackInAnyOrderAreDeliveredAgainInTheirOriginalOrder() throws Exception {
        start(false, 1 << 20);
        setAll("a", "b", "c", "d");
        assertEquals("a", text(await(open(WORKER))));
        assertEquals("b", text(await(open(OTHER))));
        assertEquals("c", text(await(open(WORKER))));
        queues.readerGone(OTHER); // b back first
        queues.abort("q", WORKER); // then a, the worker's oldest
        assertEquals(1, queues.readTotals().openReads());
        queues.readerGone(WORKER); // then c
        assertEquals(List.of("a", "b", "c", "d"), drain());
    }

    @Test
    void anOpenReadHeldPastTheTimeoutGoesBackAndIsCounted() throws Exception {
        start(new QueueSet.Settings(true, 20, 1 << 20, 1000, 1, false, 0));
        setAll("a", "b");
        assertEquals("a", text(await(open(WORKER))));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int returned = 0;
        while (returned == 0 && System.nanoTime() < deadline) {
            returned = queues.returnStaleOpenReads(); // once a millisecond has passed since the open
        }
        assertEquals(1, returned);
        assertEquals(1, queues.readTotals().openTimeouts());
        await(queues.close("q", WORKER));
        assertEquals(List.of("a", "b"), store.bodiesOf("q"), "a close after the timeout confirms nothing");
        assertEquals(List.of("a", "b"), drain());
    }

    @Test
    void openReadsAreThereAgainAfterARestart() throws Exception {
        start(true, 1 << 20);
        setAll("a", "b", "c");
        await(open(WORKER));
        await(open(WORKER));
        await(queues.close("q", WORKER));
        stop(); // the server stops or dies with "b" open
        queues = null;
        start(true, 1 << 20);
        assertEquals(List.of("b", "c"), drain());
    }

    @Test
    void peekLeavesTheHeadInPlace() throws Exception {
        start(true, 1 << 20);
        setAll("a");
        assertEquals("a", text(await(queues.read("q", ReadMode.PEEK, WORKER, ANY_SIZE, 0))));
        assertEquals(List.of("a"), drain());
    }

    @Test
    void waitingReadsAreServedInArrivalOrderOnceTheMessageIsOnDisk() throws Exception {
        start(true, 1 << 20);
        CompletableFuture<Delivery> first = queues.read("q", ReadMode.POP, WORKER, ANY_SIZE, 10_000);
        CompletableFuture<Delivery> second = queues.read("q", ReadMode.OPEN, OTHER, ANY_SIZE, 10_000);
        assertFalse(first.isDone());
        assertEquals(2, queues.readTotals().waiters());
        setAll("a", "b");
        assertEquals("a", text(await(first)));
        assertEquals("b", text(await(second)));
        assertEquals(List.of("b"), store.bodiesOf("q"), "the pop's removal is on disk, the open read's row stays");
        assertEquals(0, queues.readTotals().waiters());
    }

    @Test
    void aWaitingReadEndsWithNothingWhenItsTimeIsUpOrItsReaderGoes() throws Exception {
        start(false, 1 << 20);
        CompletableFuture<Delivery> timed = queues.read("q", ReadMode.POP, WORKER, ANY_SIZE, 20);
        assertNull(await(timed));
        CompletableFuture<Delivery> gone = queues.read("q", ReadMode.OPEN, OTHER, ANY_SIZE, 10_000);
        queues.readerGone(OTHER);
        assertNull(await(gone));
        assertEquals(0, queues.readTotals().waiters());
        setAll("a");
        assertEquals(List.of("a"), drain(), "nobody took it");
    }

    @Test
    void aReaderWhoseInputEndedStopsWaitingAndKeepsItsOpenReads() throws Exception {
        start(false, 1 << 20);
        setAll("a");
        assertEquals("a", text(await(open(WORKER))));
        CompletableFuture<Delivery> waiting = queues.read("q", ReadMode.POP, WORKER, ANY_SIZE, 10_000);
        assertFalse(waiting.isDone());
        queues.endWaits(WORKER);
        assertNull(await(waiting));
        assertEquals(0, queues.readTotals().waiters());
        assertEquals(1, queues.openReads("q", WORKER), "a close it sent before its end may still come");
        setAll("b");
        queues.readerGone(WORKER);
        assertEquals(List.of("a", "b"), drain(), "nobody took b; a came back with the reader");
    }

    @Test
    void aReadGivenBackServesAWaitingRead() throws Exception {
        start(false, 1 << 20);
        setAll("a");
        assertEquals("a", text(await(open(WORKER))));
        CompletableFuture<Delivery> waiting = queues.read("q", ReadMode.POP, OTHER, ANY_SIZE, 10_000);
        queues.readerGone(WORKER);
        assertEquals("a", text(await(waiting)));
    }

    private QueueSet startLimited(QueueLimits limits, boolean expiry, long idleDropMillis) throws Exception {
        return start(new QueueSet.Settings(true, 20, 1 << 20, 1000, 0, expiry, idleDropMillis),
                name -> name.equals("q") ? limits : QueueLimits.NONE);
    }

    @Test
    void aFullQueueRefusesOrDropsItsOldest() throws Exception {
        startLimited(new QueueLimits(2, 0, 0, false), false, 0);
        setAll("a", "b");
        CompletionException full = assertThrows(CompletionException.class, () -> queues.set("q", 0, 0, "c".getBytes()).join());
        assertTrue(full.getCause() instanceof QueueFull);
        await(queues.set("other", 0, 0, "c".getBytes())); // no limit there
        assertEquals(List.of("a", "b"), drain());
        stop();
        store.clear();
        startLimited(new QueueLimits(0, 3, 0, true), false, 0); // 3 bytes, drop the oldest
        setAll("a", "b", "c", "dd");
        assertEquals(List.of("c", "dd"), drain());
        assertEquals(List.of(), store.bodiesOf("q"), "the discarded ones left the disk too");
        assertEquals(2, queues.readTotals().discarded());
        CompletionException tooBig = assertThrows(CompletionException.class, () -> queues.set("q", 0, 0, "four".getBytes()).join());
        assertTrue(tooBig.getCause() instanceof QueueFull, "a message larger than the queue may hold");
    }

    @Test
    void withExpiryOnAnExpiredMessageIsNeverDeliveredAndLeavesTheDisk() throws Exception {
        startLimited(QueueLimits.NONE, true, 0);
        await(queues.set("q", 0, -1, "gone".getBytes()));
        await(queues.set("q", 0, 3600, "kept".getBytes()));
        await(queues.set("q", 0, System.currentTimeMillis() / 1000 - 10, "gone, absolute".getBytes()));
        await(queues.set("q", 0, 0, "forever".getBytes()));
        assertEquals("kept", text(await(queues.get("q", ANY_SIZE))), "the expired head skipped");
        assertEquals(1, queues.flushExpired("q").join());
        assertEquals(List.of("forever"), drain());
        assertEquals(2, queues.readTotals().expired());
        assertEquals(List.of(), store.bodiesOf("q"));
    }

    @Test
    void withExpiryOffExptimeIsIgnoredAsMemcacheQDid() throws Exception {
        start(true, 1 << 20);
        await(queues.set("q", 0, -1, "kept".getBytes()));
        assertEquals(List.of("kept"), drain());
    }

    @Test
    void flushEmptiesAQueueAndConfirmsItsOpenReads() throws Exception {
        start(true, 1 << 20);
        setAll("a", "b", "c");
        assertEquals("a", text(await(open(WORKER))));
        await(queues.flush("q"));
        assertEquals(List.of(), store.bodiesOf("q"));
        assertEquals(0, queues.readTotals().openReads());
        queues.readerGone(WORKER);
        assertEquals(List.of(), drain(), "the confirmed read does not come back");
        QueueDump dump = queues.dump(List.of("q")).join().get(0);
        assertEquals(new QueueDump("q", 0, 0, 0, 0, 0, 0, 0, 3, 3), dump);
    }

    @Test
    void dumpStatsTellsItemsBytesAgeOpenReadsAndWaiters() throws Exception {
        start(false, 1 << 20);
        setAll("ab", "cde", "f");
        await(open(WORKER));
        queues.read("w", ReadMode.POP, OTHER, ANY_SIZE, 10_000);
        QueueDump q = queues.dump(List.of()).join().get(0);
        assertEquals("q", q.name());
        assertEquals(2, q.items());
        assertEquals(4, q.bytes());
        assertEquals(1, q.openReads());
        assertEquals(3, q.totalItems());
        assertTrue(q.ageMillis() >= 0 && q.ageMillis() < 60_000, "age " + q.ageMillis());
        assertEquals(List.of(), queues.dump(List.of("w")).join(), "waiting on a queue does not make it");
        assertEquals(1, queues.readTotals().waiters());
        queues.readerGone(OTHER);
    }

    @Test
    void anEmptyQueueIdleLongEnoughIsDroppedWithItsCounters() throws Exception {
        startLimited(QueueLimits.NONE, false, 1);
        setAll("a");
        await(queues.set("busy", 0, 0, "x".getBytes()));
        drain();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (queues.queueCount() > 1 && System.nanoTime() < deadline) {
            queues.dropIdleQueues(); // the first sweep sees its last use, the next one drops it
        }
        assertEquals(List.of("busy"), queues.stats().stream().map(QueueStats::name).toList());
        long written = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.counters.containsKey("q") && System.nanoTime() < written) {
            Thread.sleep(5); // polling the store for the drop's commit
        }
        assertFalse(store.counters.containsKey("q"), "its counters left the disk");
    }
}
