package org.mcq.queues.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single writer: gathers the operations submitted by all connections into batches and writes
 * each batch in one transaction with one log force. In sync mode it writes as soon as there is
 * work, so operations arriving while a commit is under way ride on the next one together (group
 * commit), and their callers are released only once their batch is on disk. In no-sync mode callers
 * are not kept waiting and it writes every {@code flushInterval} milliseconds, which bounds what a
 * crash can lose; a batch that fails is kept and written again.
 */
public final class GroupCommit implements Runnable {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());
    private static final int MAX_BATCH = 4096;
    private static final long RETRY_MILLIS = 500;
    /** Queue counters are written at most this often: they are statistics, not data. */
    private static final long COUNTER_MILLIS = 1000;

    /** An operation whose effect the writer makes durable. */
    abstract static class Op {
        final CompletableFuture<Void> done = new CompletableFuture<>();

        abstract void addTo(Batch batch);

        /** Runs after the commit, in submission order (sync mode's in-memory effects). */
        void committed() {
        }

        /** Runs when the commit failed, in reverse submission order, to undo what was done early. */
        void failed() {
        }

        /** Whether the writer should not wait for its interval to write this (no-sync mode). */
        boolean urgent() {
            return false;
        }
    }

    /** Writes everything submitted before it; with {@code last} the writer stops afterwards. */
    static final class Flush extends Op {
        private final boolean last;

        Flush(boolean last) {
            this.last = last;
        }

        @Override
        void addTo(Batch batch) {
        }

        @Override
        boolean urgent() {
            return true;
        }
    }

    private final MessageStore store;
    private final Supplier<Map<String, long[]>> changedCounters;
    private final boolean sync;
    private final long flushIntervalMillis;
    private final LinkedBlockingQueue<Op> pending = new LinkedBlockingQueue<>();
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean accepting = true;
    private volatile boolean alive;
    private volatile String failure;
    private volatile long batches;
    private volatile long writtenOps;
    private long countersWrittenAt;
    private Map<String, long[]> unwrittenCounters = new HashMap<>();

    /**
     * @param changedCounters the {stored, consumed} of each queue changed since it was last asked
     */
    public GroupCommit(MessageStore store, Supplier<Map<String, long[]>> changedCounters, boolean sync,
                       long flushIntervalMillis) {
        this.store = store;
        this.changedCounters = changedCounters;
        this.sync = sync;
        this.flushIntervalMillis = flushIntervalMillis;
    }

    public boolean sync() {
        return sync;
    }

    CompletableFuture<Void> submit(Op op) {
        if (!accepting) {
            op.done.completeExceptionally(new StorageException("server is stopping", null));
            return op.done;
        }
        pending.add(op);
        if (!sync && op.urgent()) {
            wakeUp.release();
        }
        return op.done;
    }

    /** Writes what is pending and stops the writer; returns once it has. */
    public void stop(long timeoutMillis) {
        Flush last = new Flush(true);
        submit(last);
        accepting = false;
        try {
            last.done.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "the writer did not finish in time", e);
        }
    }

    /** Why the last write failed, or null while writes succeed. */
    public String failure() {
        return failure;
    }

    public long batches() {
        return batches;
    }

    public long writtenOps() {
        return writtenOps;
    }

    /** Whether the writer thread is running. */
    public boolean alive() {
        return alive;
    }

    @Override
    public void run() {
        alive = true;
        try {
            writeUntilStopped();
        } finally {
            alive = false;
        }
    }

    private void writeUntilStopped() {
        List<Op> ops = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                waitForWork(ops);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warning("writer interrupted; " + (pending.size() + ops.size()) + " operations not written");
                return;
            }
            pending.drainTo(ops, MAX_BATCH - ops.size());
            stopping = ops.stream().anyMatch(op -> op instanceof Flush flush && flush.last);
            if (!write(ops)) {
                stopping = false;
                pause();
            }
        }
    }

    private void waitForWork(List<Op> ops) throws InterruptedException {
        if (!ops.isEmpty()) {
            return; // a failed no-sync batch, written again
        }
        if (sync) {
            ops.add(pending.take());
        } else {
            wakeUp.tryAcquire(flushIntervalMillis, TimeUnit.MILLISECONDS);
            wakeUp.drainPermits();
        }
    }

    /** Writes the ops as one batch; returns false if it failed and they must be written again. */
    private boolean write(List<Op> ops) {
        if (ops.isEmpty()) {
            return true;
        }
        Batch batch = new Batch();
        boolean last = false;
        for (Op op : ops) {
            op.addTo(batch);
            last |= op instanceof Flush flush && flush.last;
        }
        unwrittenCounters.putAll(changedCounters.get());
        if (batch.dropsAll()) {
            unwrittenCounters.clear(); // everything is dropped; queues made since count from their messages
        }
        long now = System.currentTimeMillis();
        boolean countersDue = last || now - countersWrittenAt >= COUNTER_MILLIS;
        if (countersDue && !unwrittenCounters.isEmpty() && !batch.dropsAll()) {
            batch.writeCounters(unwrittenCounters);
        }
        try {
            if (!batch.isEmpty()) {
                store.write(batch);
            }
            if (countersDue) {
                unwrittenCounters = new HashMap<>();
                countersWrittenAt = now;
            }
        } catch (StorageException e) {
            if (failure == null) {
                LOG.log(Level.WARNING, "writing " + ops.size() + " operations failed", e);
            }
            failure = e.getMessage();
            if (sync) {
                for (int i = ops.size() - 1; i >= 0; i--) {
                    ops.get(i).failed();
                    ops.get(i).done.completeExceptionally(e);
                }
                ops.clear();
                return true;
            }
            return false;
        }
        if (failure != null) {
            LOG.info("writes succeed again");
            failure = null;
        }
        batches++;
        writtenOps += ops.size();
        for (Op op : ops) {
            op.committed();
            op.done.complete(null);
        }
        ops.clear();
        return true;
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MILLIS); // back off from a failing database before writing again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
