package org.mcq.queues.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single writer: gathers the operations submitted by all connections into batches and writes
 * each batch in one transaction with one log force.
 *
 * <p>In sync mode it writes as soon as there is work, so operations arriving while a commit is
 * under way ride on the next one together (group commit), and their callers are released only once
 * their batch is on disk. In no-sync mode callers are not kept waiting and it writes every
 * {@code flushInterval} milliseconds (at once while a backlog remains), which bounds what a crash
 * can lose; past a backlog limit callers wait for the disk, so the bound holds under overload too.
 *
 * <p>When a write fails, operations that were already acknowledged (all of them in no-sync mode) or
 * that may proceed without it ({@link Op#deferrable()}) are carried into the next batch and retried
 * until the database takes them; the others fail and their callers get an error.
 */
public final class GroupCommit implements Runnable {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());
    private static final int MAX_BATCH = 8192;
    /**
     * In no-sync mode, callers wait for the disk once this many operations are queued: the writer is
     * falling behind and the loss window would otherwise grow without bound.
     */
    private static final int BACKLOG_LIMIT = 4 * MAX_BATCH;
    /** The same in bytes of bodies: 32,768 large bodies would be gigabytes of heap. */
    private static final long BACKLOG_BYTES = 32L * 1024 * 1024;
    private static final long RETRY_MILLIS = 500;
    /** Queue counters are written at most this often: they are statistics, not data. */
    private static final long COUNTER_MILLIS = 1000;

    /** An operation whose effect the writer makes durable. */
    abstract static class Op {
        final CompletableFuture<Void> done = new CompletableFuture<>();

        abstract void addTo(Batch batch);

        /** Bytes of body the op holds until it is written. */
        int bytes() {
            return 0;
        }

        /** Runs after the commit, in submission order (sync mode's in-memory effects). */
        void committed() {
        }

        /** Runs when the commit failed and the op is not carried, to undo what was done early. */
        void failed() {
        }

        /** Whether the caller may go on while the write is retried (a consumed message's removal). */
        boolean deferrable() {
            return false;
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
    private final Executor completions;
    private final Supplier<Map<String, long[]>> changedCounters;
    private final boolean sync;
    private final long flushIntervalMillis;
    private final LinkedBlockingQueue<Op> pending = new LinkedBlockingQueue<>();
    private final Semaphore wakeUp = new Semaphore(0);
    /** Operations of failed batches, written again before anything new. */
    private final List<Op> carried = new ArrayList<>();
    private volatile boolean accepting = true;
    /** Bytes of bodies submitted and not yet written. */
    private final AtomicLong pendingBytes = new AtomicLong();
    private volatile boolean alive;
    private volatile String failure;
    private volatile long batches;
    private volatile long writtenOps;
    private long countersWrittenAt;
    private Map<String, long[]> unwrittenCounters = new HashMap<>();

    /**
     * @param completions     runs the callers' continuations (writing their replies) in order, so
     *                        the writer can start the next commit meanwhile
     * @param changedCounters the {stored, consumed} of each queue changed since it was last asked
     */
    public GroupCommit(MessageStore store, Executor completions, Supplier<Map<String, long[]>> changedCounters,
                       boolean sync, long flushIntervalMillis) {
        this.store = store;
        this.completions = completions;
        this.changedCounters = changedCounters;
        this.sync = sync;
        this.flushIntervalMillis = flushIntervalMillis;
    }

    public boolean sync() {
        return sync;
    }

    /**
     * Queues an op for writing; false, with the op failed, once the writer is stopping. An op is
     * either written before the writer stops or refused here, never left behind: {@link #stop}
     * stops accepting before it queues its last flush, and an op that lands behind that flush is
     * taken back out.
     */
    boolean submit(Op op) {
        if (accepting) {
            pendingBytes.addAndGet(op.bytes());
            pending.add(op);
            if (accepting) {
                if (!sync && op.urgent()) {
                    wakeUp.release();
                }
                return true;
            }
            if (!pending.remove(op)) {
                return true; // the writer has it: written with the last batch
            }
            pendingBytes.addAndGet(-op.bytes());
        }
        op.done.completeExceptionally(new StorageException("server is stopping", null));
        return false;
    }

    /** Writes what is pending and stops the writer; returns once it has, or after the timeout. */
    public void stop(long timeoutMillis) {
        accepting = false;
        Flush last = new Flush(true);
        pending.add(last);
        try {
            last.done.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "the writer did not finish writing before stopping", e);
        }
    }

    /** Whether so much is queued that a no-sync caller should wait for its write. */
    boolean backlogged() {
        return pending.size() > BACKLOG_LIMIT || pendingBytes.get() > BACKLOG_BYTES;
    }

    /** Why the last write failed, or null while writes succeed. */
    public String failure() {
        return failure;
    }

    public boolean alive() {
        return alive;
    }

    public long batches() {
        return batches;
    }

    public long writtenOps() {
        return writtenOps;
    }

    @Override
    public void run() {
        alive = true;
        try {
            List<Op> ops = new ArrayList<>();
            boolean stopped = false;
            while (!stopped) {
                if (!waitForWork(ops)) {
                    return;
                }
                pending.drainTo(ops, MAX_BATCH - ops.size());
                boolean last = ops.stream().anyMatch(op -> op instanceof Flush flush && flush.last);
                boolean written = write(ops);
                ops.clear();
                stopped = last && (written || sync);
                if (!written) {
                    pause();
                }
            }
        } finally {
            alive = false;
        }
    }

    /** Waits for operations to write; returns false if interrupted. */
    private boolean waitForWork(List<Op> ops) {
        try {
            if (!carried.isEmpty()) {
                Op next = pending.poll(RETRY_MILLIS, TimeUnit.MILLISECONDS);
                if (next != null) {
                    ops.add(next);
                }
            } else if (sync) {
                ops.add(pending.take());
            } else if (pending.size() < MAX_BATCH) {
                wakeUp.tryAcquire(flushIntervalMillis, TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warning("writer interrupted; " + (pending.size() + carried.size()) + " operations not written");
            return false;
        }
    }

    /** Writes the carried and the new ops as one batch; returns whether the database took it. */
    private boolean write(List<Op> ops) {
        List<Op> all = new ArrayList<>(carried.size() + ops.size());
        all.addAll(carried);
        all.addAll(ops);
        if (all.isEmpty()) {
            return true;
        }
        Batch batch = new Batch();
        boolean last = false;
        for (Op op : all) {
            op.addTo(batch);
            last |= op instanceof Flush flush && flush.last;
        }
        long now = System.currentTimeMillis();
        boolean countersDue = addCounters(batch, last, now);
        try {
            if (!batch.isEmpty()) {
                store.write(batch);
            }
        } catch (StorageException e) {
            failed(ops, e);
            return false;
        }
        if (countersDue) {
            unwrittenCounters = new HashMap<>();
            countersWrittenAt = now;
        }
        if (failure != null) {
            LOG.info("writes succeed again");
            failure = null;
        }
        batches++;
        writtenOps += all.size();
        carried.clear();
        for (Op op : all) {
            pendingBytes.addAndGet(-op.bytes());
        }
        for (Op op : all) {
            op.committed(); // in-memory effects here, before the next batch is built; idempotent when carried
        }
        completions.execute(() -> {
            for (Op op : all) {
                op.done.complete(null);
            }
        });
        return true;
    }

    /** Adds the queue counters to the batch if they are due; returns whether they were. */
    private boolean addCounters(Batch batch, boolean last, long now) {
        if (batch.dropsAll()) {
            changedCounters.get(); // everything is dropped; queues made since count from their messages
            unwrittenCounters.clear();
            return false;
        }
        boolean due = last || now - countersWrittenAt >= COUNTER_MILLIS;
        if (due) {
            unwrittenCounters.putAll(changedCounters.get());
            if (!unwrittenCounters.isEmpty()) {
                batch.writeCounters(unwrittenCounters);
            }
        }
        return due;
    }

    private void failed(List<Op> ops, StorageException e) {
        if (failure == null) {
            LOG.log(Level.WARNING, "writing a batch failed; retrying what was acknowledged", e);
        }
        failure = e.getMessage();
        List<Op> failed = new ArrayList<>();
        List<Op> deferred = new ArrayList<>();
        for (int i = ops.size() - 1; i >= 0; i--) {
            Op op = ops.get(i);
            if (sync && !op.deferrable()) {
                op.failed();
                pendingBytes.addAndGet(-op.bytes());
                failed.add(op);
            }
        }
        for (Op op : ops) {
            if (!sync || op.deferrable()) {
                carried.add(op);
                if (sync) {
                    op.committed();
                    deferred.add(op); // let the caller go on; the write is retried
                }
            }
        }
        completions.execute(() -> {
            failed.forEach(op -> op.done.completeExceptionally(e));
            deferred.forEach(op -> op.done.complete(null));
        });
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MILLIS); // back off from a failing database before writing again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
