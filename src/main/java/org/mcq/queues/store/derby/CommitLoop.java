package org.mcq.queues.store.derby;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mcq.queues.api.CommitObserver;
import org.mcq.queues.api.StorageException;

/**
 * The writer's thread (see {@link GroupCommit}): waits for operations, writes them in batches,
 * completes their callers, or carries and fails them when the database refuses a batch. Its
 * fields are its thread's alone but the figures, which other threads read, and the observer they set.
 */
final class CommitLoop implements Runnable {

    // the writer's one log, whichever of its classes writes to it
    private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());
    private static final long RETRY_MILLIS = 500;
    /**
     * How long a sync writer that just committed polls for the next operation before it sleeps.
     * Waking a sleeping thread costs tens of microseconds on a virtual machine, about what the
     * commit itself costs; a client that sends its next command once it has its reply is back
     * within a round trip, so a short spin keeps the wake-up off its path. Under load there is
     * always work and no spin; idle, the writer sleeps.
     */
    private static final long SPIN_NANOS = 200_000;
    /**
     * The most a sync writer's lone op waits for the other it expects (see {@link #linger}): the
     * average it waits for follows batches of every size, and after a burst of large ones, or on a
     * very slow disk, it would make a missed pairing cost more than the pairing saves.
     */
    private static final long MAX_LINGER_NANOS = 2_000_000;

    private final MessageStore store;
    private final Executor completions;
    private final boolean sync;
    private final long flushIntervalMillis;
    private final Intake intake;
    private final Carried carried;
    private final CounterCadence counters;
    private final Outage outage;
    private volatile boolean alive;
    private volatile long batches;
    private volatile long writtenOps;
    private volatile long failedWrites;
    private volatile CommitObserver observer = CommitObserver.NONE;
    /**
     * Writer thread: the last flush is written, or failed. Set where a batch is written or refused,
     * as that batch includes the carried ops: a last flush refused once and written on retry is
     * seen there, not among the new ops the loop took.
     */
    private boolean finished;
    /**
     * Writer thread, sync mode: whether the next batch expects two ops (the callers the last one
     * released, and the ops that waited through it), until when a lone op waits for the other,
     * and what a batch takes to write, on average.
     */
    private boolean expectsTwo;
    private long lingerUntil;
    private long batchNanosAverage;

    CommitLoop(MessageStore store, Executor completions, CounterCadence counters, boolean sync,
               long flushIntervalMillis, Intake intake, Outage outage) {
        this.store = store;
        this.completions = completions;
        this.sync = sync;
        this.flushIntervalMillis = flushIntervalMillis;
        this.intake = intake;
        this.carried = new Carried();
        this.counters = counters;
        this.outage = outage;
    }

    boolean alive() {
        return alive;
    }

    long batches() {
        return batches;
    }

    long writtenOps() {
        return writtenOps;
    }

    long failedWrites() {
        return failedWrites;
    }

    void observe(CommitObserver observer) {
        this.observer = observer == null ? CommitObserver.NONE : observer;
    }

    @Override
    public void run() {
        alive = true;
        try {
            List<WriteOp> ops = new ArrayList<>();
            while (!finished) {
                if (!waitForWork(ops)) {
                    return;
                }
                intake.drainTo(ops, GroupCommit.MAX_BATCH - ops.size());
                intake.held(ops);
                boolean written = write(ops);
                ops.clear();
                intake.held(ops);
                if (!written && !finished) {
                    pause();
                }
            }
        } finally {
            alive = false;
        }
    }

    /** Waits for operations to write; returns false if interrupted. */
    private boolean waitForWork(List<WriteOp> ops) {
        try {
            if (!carried.isEmpty()) {
                WriteOp next = intake.poll(RETRY_MILLIS, TimeUnit.MILLISECONDS);
                if (next != null) {
                    ops.add(next);
                }
            } else if (sync) {
                WriteOp op = next();
                ops.add(op);
                if (!(op instanceof Flush)) { // the last op there will be: nothing to wait for
                    linger();
                }
            } else {
                WriteOp first = intake.take();
                ops.add(first);
                intake.held(ops);
                intake.awaitUrgent(first.submittedAt + TimeUnit.MILLISECONDS.toNanos(flushIntervalMillis));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warning("writer interrupted; " + (intake.size() + carried.size() + ops.size()) + " operations not written");
            return false;
        }
    }

    /**
     * Sync mode, one op taken and no other queued: waits a little for a second one when the writer
     * expects two, so that one commit carries both. Two clients at one connection each (a producer
     * and a worker) otherwise take turns: each one's next op arrives while the other's commit is
     * being forced, waits for it, then for its own, two forced writes per operation. The other
     * caller is back within a round trip; waiting for it for up to what a batch takes to write
     * costs the op here about that, and saves the other a whole commit. With more clients the
     * commits already carry several, and waiting for them cost throughput (BENCHMARKS.md, issue 21
     * target 2).
     */
    private void linger() {
        while (expectsTwo && intake.isEmpty() && System.nanoTime() < lingerUntil) {
            Thread.yield();
        }
    }

    /** The next op to write, polled for a while before the writer sleeps (see {@link #SPIN_NANOS}). */
    private WriteOp next() throws InterruptedException {
        WriteOp op = intake.poll();
        if (op == null) {
            long until = System.nanoTime() + SPIN_NANOS;
            while ((op = intake.poll()) == null && System.nanoTime() < until) {
                Thread.yield(); // lets the selectors and clients run on a busy machine; returns at once on an idle one
            }
        }
        return op != null ? op : intake.take();
    }

    /** Writes the carried and the new ops as one batch; returns whether the database took it. */
    private boolean write(List<WriteOp> ops) {
        List<WriteOp> all = carried.before(ops);
        if (all.isEmpty()) {
            return true;
        }
        Batch batch = new Batch();
        boolean last = false;
        for (WriteOp op : all) {
            op.addTo(batch);
            last |= op instanceof Flush;
        }
        long now = System.currentTimeMillis();
        boolean countersDue = counters.addTo(batch, last, now);
        long batchNanos = 0;
        long commitNanos = 0;
        try {
            if (!batch.isEmpty()) {
                long began = System.nanoTime();
                commitNanos = store.write(batch);
                batchNanos = System.nanoTime() - began;
                intake.wrote(all, batchNanos);
            }
        } catch (StorageException e) {
            refused(ops, e);
            return false;
        }
        counters.written(batch, countersDue, now);
        finished = last;
        if (!batch.isEmpty() && outage.written()) { // the store took a write, not just nothing to write
            LOG.info("writes succeed again");
        }
        batches++;
        writtenOps += all.size();
        carried.written();
        boolean holding = !sync && outage.holding(); // true if any op here is held: one read a batch when none is
        for (WriteOp op : all) {
            intake.written(op);
            op.committed(); // in-memory effects here, before the next batch is built
            if (holding && GroupCommit.held(sync, op)) {
                outage.release(); // after its effect: what follows it may take effect at once
            }
        }
        Runnable complete = () -> {
            for (WriteOp op : all) {
                op.done.complete(null);
            }
        };
        int waited = intake.size(); // before the callers are released: their next ops are not among them
        if (waited == 0) {
            complete.run(); // nobody waits for the next commit: no hand-off, no thread to wake
        } else {
            completions.execute(complete);
        }
        if (sync) {
            expectsTwo = ops.size() + waited == 2; // carried ops' callers were released before
            if (batchNanos > 0) {
                batchNanosAverage = batchNanosAverage == 0 ? batchNanos : (7 * batchNanosAverage + batchNanos) / 8;
            }
            lingerUntil = System.nanoTime() + Math.min(batchNanosAverage, MAX_LINGER_NANOS);
        }
        if (batchNanos > 0) {
            observer.committed(all.size(), batchNanos, commitNanos); // after the replies: not on their path
        }
        return true;
    }

    private void refused(List<WriteOp> ops, StorageException e) {
        if (outage.refused(e.getMessage())) { // first: from here on no-sync ops are held
            LOG.log(Level.WARNING, "writing a batch failed; retrying what was acknowledged, refusing what was not", e);
        }
        failedWrites++; // the writer's thread alone writes it
        Carried.Outcome outcome = carried.refused(ops);
        for (WriteOp op : outcome.failed()) {
            intake.written(op);
            if (GroupCommit.held(sync, op)) {
                outage.release();
            }
        }
        finished = outcome.failed().stream().anyMatch(Flush.class::isInstance); // sync mode gives up
        completions.execute(() -> {
            outcome.failed().forEach(op -> op.done.completeExceptionally(e));
            outcome.deferred().forEach(op -> op.done.complete(null));
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
