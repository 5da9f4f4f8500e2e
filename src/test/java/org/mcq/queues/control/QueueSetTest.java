package org.mcq.queues.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue logic against an in-memory store, with the writer running on its own thread. */
class QueueSetTest {

    private static final QueueSet.Room ANY_SIZE = QueueSet.Room.UNLIMITED;

    private final MemoryStore store = new MemoryStore();
    private QueueSet queues;
    private Thread writerThread;

    private QueueSet start(boolean sync, long budget) throws Exception {
        queues = new QueueSet(store, Runnable::run, Runnable::run, new QueueSet.Settings(sync, 20, budget, 1000));
        queues.load();
        writerThread = new Thread(queues.writer(), "test-writer");
        writerThread.start();
        return queues;
    }

    @AfterEach
    void stop() throws Exception {
        if (queues != null) {
            queues.writer().stop(10_000);
            writerThread.join(10_000);
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static String text(QueueSet.Delivery delivery) {
        return delivery == null ? null : new String(delivery.body());
    }

    @Test
    void messagesComeOutInFifoOrderAndAreOnDiskWhenAcknowledged() throws Exception {
        start(true, 1 << 20);
        for (int i = 0; i < 5; i++) {
            await(queues.set("q", i, ("m" + i).getBytes()));
            assertEquals(i + 1, store.bodiesOf("q").size(), "stored before it was acknowledged");
        }
        for (int i = 0; i < 5; i++) {
            QueueSet.Delivery delivery = await(queues.get("q", ANY_SIZE));
            assertEquals("m" + i, text(delivery));
            assertEquals(i, delivery.flags());
            assertEquals(4 - i, store.bodiesOf("q").size(), "removed from disk before it was delivered");
        }
        assertNull(await(queues.get("q", ANY_SIZE)));
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
        await(queues.set("q", 0, "kept".getBytes()));
        store.failing = true;
        CompletionException refused = assertThrows(CompletionException.class, () -> queues.set("q", 0, "lost".getBytes()).join());
        assertTrue(refused.getCause() instanceof StorageException);
        assertEquals("kept", text(await(queues.get("q", ANY_SIZE))), "served while writes fail");
        assertNull(await(queues.get("q", ANY_SIZE)), "the refused message was never queued");
        assertTrue(queues.writer().failure() != null);
        store.failing = false;
        await(queues.set("q", 0, "after".getBytes()));
        assertNull(queues.writer().failure());
        assertEquals(List.of("after"), store.bodiesOf("q"), "the removal made while failing was written since");
    }

    @Test
    void noSyncModeAcknowledgesAtOnceAndWritesWithinTheInterval() throws Exception {
        start(false, 1 << 20);
        CompletableFuture<Void> set = queues.set("q", 0, "fast".getBytes());
        assertTrue(set.isDone(), "acknowledged without waiting for the disk");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.bodiesOf("q").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5); // polling the store for the interval's write
        }
        assertEquals(List.of("fast"), store.bodiesOf("q"));
    }

    /** Counts what is reserved and not given back; refuses sizes over {@code max}. */
    private static final class CountingRoom implements QueueSet.Room {
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
        await(queues.set("q", 0, "0123456789".getBytes()));
        CountingRoom small = new CountingRoom(9);
        assertTrue(queues.get("q", small) == QueueSet.NO_ROOM);
        assertEquals(0, small.held);
        CountingRoom enough = new CountingRoom(10);
        assertEquals("0123456789", text(await(queues.get("q", enough))));
        assertEquals(10, enough.held, "the room stays reserved for the reply");
    }

    @Test
    void aGetRefusedByAStoppingWriterLeavesTheMessageAndGivesItsRoomBack() throws Exception {
        for (boolean sync : new boolean[] {true, false}) {
            start(sync, 1 << 20);
            await(queues.set("q", 0, "kept".getBytes()));
            queues.writer().stop(10_000);
            CountingRoom room = new CountingRoom(100);
            CompletableFuture<QueueSet.Delivery> refused = queues.get("q", room);
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
        await(queues.set("q", 0, "0123456789".getBytes()));
        await(queues.set("q", 0, "over budget".getBytes()));
        assertEquals(10, queues.cachedBytes());
        assertEquals("0123456789", text(await(queues.get("q", ANY_SIZE))));
        assertEquals("over budget", text(await(queues.get("q", ANY_SIZE))), "read back from the store");
        assertEquals(0, queues.cachedBytes());
    }

    @Test
    void deleteDropsTheQueueEverywhere() throws Exception {
        start(true, 1 << 20);
        await(queues.set("q", 0, "a".getBytes()));
        await(queues.set("q", 0, "b".getBytes()));
        assertTrue(await(queues.delete("q")));
        assertFalse(await(queues.delete("q")));
        assertTrue(store.bodiesOf("q").isEmpty());
        assertTrue(queues.stats().isEmpty());
    }

    @Test
    void aRestartRebuildsTheQueuesAndReconcilesTheCounters() throws Exception {
        start(true, 1 << 20);
        for (int i = 0; i < 4; i++) {
            await(queues.set("q", 0, ("m" + i).getBytes()));
        }
        await(queues.get("q", ANY_SIZE));
        stop();
        QueueSet restarted = new QueueSet(store, Runnable::run, Runnable::run,
                new QueueSet.Settings(true, 20, 1 << 20, 1000));
        restarted.load();
        QueueSet.QueueStats stats = restarted.stats().get(0);
        assertEquals(4, stats.stored());
        assertEquals(1, stats.consumed());
        assertEquals(3, stats.size());
        queues = null;
    }
}
