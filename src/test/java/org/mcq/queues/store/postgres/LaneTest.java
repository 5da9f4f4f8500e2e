package org.mcq.queues.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;
import org.mcq.queues.rules.QueueLimits;

class LaneTest {

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
        Lane lane = new Lane(database.source(), new BatchWriter(settings, new Counters(),
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

    private static SharedOp.Insert insert(String queue) {
        return new SharedOp.Insert(queue, 0, System.currentTimeMillis(), 0, new byte[]{'x'}, new CompletableFuture<>());
    }
}
