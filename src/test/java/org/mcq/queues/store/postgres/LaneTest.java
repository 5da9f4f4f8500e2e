package org.mcq.queues.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;
import org.mcq.queues.rules.QueueLimits;

class LaneTest {

    /** A client's round trip on a local network. */
    private static final long ROUND_TRIP_NANOS = 300_000;

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void aBatchThatThrowsLeavesNothingForTheNextBatchToCommit() throws Exception {
        // what a limit such as MCQ_QUEUE_BAD_MAX_AGE_S=10k did: MicroProfile Config's conversion threw mid-batch
        Function<String, QueueLimits> limits = queue -> {
            if (queue.equals("bad")) {
                throw new IllegalArgumentException("SRCFG00039: mcq.queue.bad.max.age.s with the config value 10k");
            }
            return QueueLimits.NONE;
        };
        FakeDatabase database = new FakeDatabase();
        SharedSettings settings = new SharedSettings("server", "here", true, 1, 0, 10_000, false, limits);
        Lane lane = new Lane(database.source(), new BatchWriter(settings, new Counters(false),
                new Waiters(take -> { }, queue -> { }, timers), new LimitsByQueue(limits), new AtomicLong()),
                new Signals(database.source(), "server", queue -> { }), true);

        // one batch: the set is written (its row inserted), then the peek of "bad" throws
        SharedOp.Insert first = insert("ok");
        Take peek = new Take("bad", ReadMode.PEEK, new Object(), Room.UNLIMITED, 0, null);
        lane.submit(first);
        lane.submit(peek);
        lane.start(new Thread(lane, "lane-under-test"));
        assertThrows(ExecutionException.class, () -> first.done().get(10, TimeUnit.SECONDS), "the set was refused");
        assertThrows(ExecutionException.class, () -> peek.result.get(10, TimeUnit.SECONDS));

        SharedOp.Insert next = insert("later");
        lane.submit(next);
        next.done().get(10, TimeUnit.SECONDS);
        lane.stop(10_000);

        assertEquals(List.of("later"), database.committed, "a refused set must not be stored by the next commit");
        assertEquals(1, lane.failures, "the failed batch is counted as a write failure");
    }

    /**
     * A producer and a worker at one connection each on one lane (one queue), on a disk whose every
     * commit takes 20 ms, the second client's first operation arriving while the first one's is
     * being committed: unless the lane waits for the caller it has just released, each one's next
     * operation arrives while the other's commit is being written, and they take turns, one per commit.
     */
    @Test
    void twoClientsSendingOneOperationAtATimeShareTheirCommits() throws Exception {
        FakeDatabase database = new FakeDatabase();
        database.commitMillis = 20;
        SharedSettings settings = new SharedSettings("server", "here", true, 1, 0, 10_000, false, queue -> QueueLimits.NONE);
        Lane lane = new Lane(database.source(), new BatchWriter(settings, new Counters(false),
                new Waiters(take -> { }, queue -> { }, timers), new LimitsByQueue(queue -> QueueLimits.NONE), new AtomicLong()),
                new Signals(database.source(), "server", queue -> { }), true);
        lane.start(new Thread(lane, "lane-under-test"));
        int rounds = 30;
        SharedOp.Insert first = insert("q");
        lane.submit(first);
        assertTrue(database.commitBegun.await(10, TimeUnit.SECONDS));
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> sendInTurn(lane, rounds));
        first.done().get(10, TimeUnit.SECONDS);
        sendInTurn(lane, rounds - 1);
        other.get(30, TimeUnit.SECONDS);
        lane.stop(10_000);
        int commits = database.commits.get();
        assertEquals(2 * rounds, database.committed.size());
        // 60 operations: 30 commits if they pair up from the start, up to 60 if they take turns
        assertTrue(commits <= 40, "operations of two clients in " + commits + " commits");
    }

    /** Each operation once the last one is answered, a round trip later (the reply's way out and the next command's in). */
    private static void sendInTurn(Lane lane, int rounds) {
        for (int i = 0; i < rounds; i++) {
            LockSupport.parkNanos(ROUND_TRIP_NANOS); // the network's time, not a wait for anything
            SharedOp.Insert op = insert("q");
            lane.submit(op);
            op.done().join();
        }
    }

    private static SharedOp.Insert insert(String queue) {
        return new SharedOp.Insert(queue, 0, System.currentTimeMillis(), 0, new byte[]{'x'}, new CompletableFuture<>());
    }
}
