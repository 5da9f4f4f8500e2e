package org.mcq.queues.store.derby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueFull;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.api.Room;
import org.mcq.queues.rules.QueueLimits;

/** Fanout queues on the Derby engine's logic, against an in-memory store: who gets copies, and in which commit. */
class FanoutTest {

    private static final Object READER = new Object();

    private final MemoryStore store = new MemoryStore();
    private final RunningQueues running = new RunningQueues(store);
    private QueueSet queues;

    private void start(boolean sync, Function<String, QueueLimits> limits) throws Exception {
        start(new QueueSet.Settings(sync, 20, 1 << 20, 1000, 0, false, 0, true), limits);
    }

    private void start(QueueSet.Settings settings, Function<String, QueueLimits> limits) throws Exception {
        queues = running.start(settings, limits);
    }

    private void start(boolean sync) throws Exception {
        start(sync, name -> QueueLimits.NONE);
    }

    /** Stops the writer as the server does: what was acknowledged, and the counters, are written. */
    @AfterEach
    void stop() throws Exception {
        running.stop();
    }

    private static <T> T await(CompletableFuture<T> stage) throws Exception {
        return RunningQueues.await(stage);
    }

    private void set(String queue, String body) throws Exception {
        await(queues.set(queue, 0, 0, body.getBytes()));
    }

    private String pop(String queue) throws Exception {
        Delivery delivery = await(queues.read(queue, ReadMode.POP, READER, Room.UNLIMITED, 0));
        return delivery == null ? null : new String(delivery.body());
    }

    private List<String> drain(String queue) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (String body = pop(queue); body != null; body = pop(queue)) {
            bodies.add(body);
        }
        return bodies;
    }

    @Test
    void aSetCopiesToEverySubscriberThatExistsInOneBatch() throws Exception {
        start(true);
        set("jobs+audit", "before"); // made by a set
        assertNull(pop("jobs+mail"), "made by its first read, empty");
        set("jobs", "one");
        set("jobs", "two");
        set("jobs+audit", "own"); // to the subscriber alone

        assertEquals(List.of("one", "two"), drain("jobs"));
        assertEquals(List.of("before", "one", "two", "own"), drain("jobs+audit"));
        assertEquals(List.of("one", "two"), drain("jobs+mail"));
        assertNull(pop("jobs+late"), "a subscriber made after the sets has none of them");

        Batch first = store.batches.stream()
                .filter(batch -> queuesOf(batch).contains("jobs")).findFirst().orElseThrow();
        assertEquals(Set.of("jobs", "jobs+audit", "jobs+mail"), queuesOf(first), "one commit for all copies");
    }

    private static Set<String> queuesOf(Batch batch) {
        Set<String> names = new TreeSet<>();
        batch.inserts().forEach(insert -> names.add(insert.queue()));
        return names;
    }

    @Test
    void subscribersPutAsideOrRestartedStillGetCopiesUntilDeleted() throws Exception {
        start(true);
        assertNull(pop("q+a"));
        assertNull(pop("q+b"));
        stop(); // the counters, so the subscribers' records, are written at the stop
        assertTrue(store.records().containsKey("q+a"), "a subscriber made by a read has a record");

        start(true); // nothing of them in memory now: their records say they exist
        set("q", "after restart");
        assertEquals(List.of("after restart"), drain("q+a"));
        assertEquals(List.of("after restart"), drain("q+b"));

        assertTrue(await(queues.delete("q+a")));
        set("q", "after delete");
        assertEquals(List.of("after delete"), drain("q+b"));
        await(queues.flushAll());
        set("q", "after flush_all");
        assertEquals(List.of("after flush_all"), drain("q"));
        assertEquals(List.of(), drain("q+b"), "flush_all dropped the subscriber (this read makes it again)");
        assertEquals(List.of(), drain("q+a"), "deleted");
        assertNull(pop("q+a+x"), "a read makes q+a+x, a subscriber of q");
        set("q+a", "to q+a alone");
        assertEquals(List.of(), drain("q+a+x"), "q+a has no subscribers of its own");
    }

    @Test
    void aWaitingReadOfASubscriberIsServedInNoSyncModeToo() throws Exception {
        start(false);
        CompletableFuture<Delivery> waiting = queues.read("q+w", ReadMode.POP, READER, Room.UNLIMITED, 10_000);
        set("q", "for the waiter");
        assertEquals("for the waiter", new String(await(waiting).body()));
        assertEquals(List.of("for the waiter"), drain("q"));
    }

    @Test
    void aFullSubscriberDiscardsItsCopyAndTheSetIsStoredElsewhere() throws Exception {
        start(true, name -> name.equals("q+full") ? new QueueLimits(1, 0, 0, false) : QueueLimits.NONE);
        assertNull(pop("q+full"));
        assertNull(pop("q+other"));
        set("q", "fits");
        set("q", "not in q+full");
        assertEquals(List.of("fits", "not in q+full"), drain("q"));
        assertEquals(List.of("fits", "not in q+full"), drain("q+other"));
        assertEquals(List.of("fits"), drain("q+full"));
        QueueDump full = await(queues.dump(List.of("q+full"))).get(0);
        assertEquals(1, full.discarded(), "the refused copy counts as discarded there");
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> { set("q+full", "a"); set("q+full", "b"); });
        assertTrue(refused.getCause() instanceof QueueFull, "a set to the subscriber itself is refused as to any queue");
    }

    @Test
    void withFanoutOffANameHoldingThePlusIsANameLikeAnyOther() throws Exception {
        start(new QueueSet.Settings(true, 20, 1 << 20, 1000, 0, false, 0), name -> QueueLimits.NONE);
        set("q+a", "own");
        assertNull(pop("q+b"), "a read makes no queue");
        set("q", "plain");
        assertEquals(List.of("own"), drain("q+a"));
        assertEquals(List.of(), drain("q+b"));
        assertEquals(List.of("plain"), drain("q"));
    }

    @Test
    void copiesCostTheSumOfTheirInsertsSoAPopBeforeTheWriteTakesOffWhatItAdded() {
        QueueIndex index = new QueueIndex(new MemoryStore(), name -> QueueLimits.NONE, true);
        Insert own = new Insert(index, null, "q", new Message(1, 0, new byte[300], 300), null, name -> { });
        Insert copy = new Insert(index, null, "q+a", new Message(2, 0, new byte[300], 300), null, name -> { });
        // each body's share rounds down by itself, as each pop before the write takes off size / 512
        assertEquals(1, Intake.work(new Copies(own, List.of(copy))));
    }

    @Test
    void aDeleteInTheBatchOfACopyEndsTheSubscriberForGood() throws Exception {
        start(true);
        assertNull(pop("q+a"));
        set("q", "before");
        CountDownLatch stall = new CountDownLatch(1);
        store.stall = stall;
        // the writes before it counted: the ops below must wait behind this one, all in the next batch
        int writesBefore = store.writes.get();
        CompletableFuture<Void> stalled = queues.set("other", 0, 0, "x".getBytes()); // the writer waits in its write
        assertTrue(waitFor(() -> store.writes.get() > writesBefore), "the writer is in its stalled write");
        CompletableFuture<Void> copied = queues.set("q", 0, 0, "copied, then deleted".getBytes());
        CompletableFuture<Boolean> deleted = queues.delete("q+a");
        CompletableFuture<Void> after = queues.set("q", 0, 0, "after the delete".getBytes());
        store.stall = null;
        stall.countDown();
        await(stalled);
        await(copied);
        assertTrue(await(deleted));
        await(after);
        set("q", "later");
        assertEquals(List.of("before", "copied, then deleted", "after the delete", "later"), drain("q"));
        assertEquals(List.of(), await(queues.dump(List.of("q+a"))), "gone: no set made it again");
        assertEquals(List.of(), drain("q+a"));
    }

    @Test
    void aSubscriberWhoseDeleteFailsStillGetsCopies() throws Exception {
        start(true);
        assertNull(pop("q+a"));
        stop(); // its record is written: put aside at the next start, nothing of it in memory
        start(true);
        store.failing = true;
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> await(queues.delete("q+a")));
        assertTrue(refused.getCause() instanceof StorageException, refused.toString());
        store.failing = false;
        set("q", "after the failed delete");
        assertEquals(List.of("after the failed delete"), drain("q+a"));
    }

    @Test
    void dropsInOneBatchLeaveNoMessageInMemoryWithoutItsRow() throws Exception {
        start(true);
        set("x", "before");
        CountDownLatch stall = new CountDownLatch(1);
        store.stall = stall;
        // the writes before it counted: the ops below must wait behind this one, all in the next batch
        int writesBefore = store.writes.get();
        CompletableFuture<Void> stalled = queues.set("other", 0, 0, "x".getBytes()); // the writer waits in its write
        assertTrue(waitFor(() -> store.writes.get() > writesBefore), "the writer is in its stalled write");
        // one batch: the delete's drop takes x out when written, the set after it makes x again, and
        // flush_all takes every queue then in the index (with y's set, submitted before it)
        CompletableFuture<Boolean> deleted = queues.delete("x");
        CompletableFuture<Void> seven = queues.set("x", 0, 0, "seven".getBytes());
        CompletableFuture<Void> eight = queues.set("y", 0, 0, "eight".getBytes());
        CompletableFuture<Void> flushed = queues.flushAll();
        store.stall = null;
        stall.countDown();
        await(stalled);
        assertTrue(await(deleted));
        await(seven);
        await(eight);
        await(flushed);
        List<String> inMemory = items(await(queues.dump(List.of("x", "y"))));
        stop();
        start(true);
        assertEquals(inMemory, items(await(queues.dump(List.of("x", "y")))), "what memory held, the disk held");
        assertEquals(List.of("seven"), drain("x"), "a set after the delete, not among what flush_all took");
        assertEquals(List.of(), drain("y"), "a set before flush_all, dropped with it");
    }

    private static List<String> items(List<QueueDump> queues) {
        return queues.stream().filter(queue -> queue.items() > 0).map(queue -> queue.name() + "=" + queue.items()).toList();
    }

    private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5); // between polls of an observable condition
        }
        return true;
    }
}
