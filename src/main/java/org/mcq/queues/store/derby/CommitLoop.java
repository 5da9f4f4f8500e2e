package org.mcq.queues.store.derby;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mcq.queues.api.CommitObserver;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.commits.CommitWait;
import org.mcq.queues.commits.Spin;

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
     * How long a sync writer that just committed polls for the next operation before it sleeps (see
     * {@link Spin}). Under load there is always work and no spin; idle, the writer sleeps.
     */
    private static final long SPIN_NANOS = 200_000;

    private final MessageStore store;
    private final Executor completions;
    private final boolean sync;
    private final long flushIntervalMillis;
    private final Intake intake;
    private final Carried carried;
    private final CounterCadence counters;
    private final Outage outage;
    /** Sync mode: whether the op taken waits for more. */
    private final CommitWait waiting = CommitWait.gathering();
    private final BooleanSupplier queued;
    /**
     * What a gathering wait counts: the operations queued; once the intake closes, the last flush may
     * be queued behind the op in hand and no client will come, so the wait ends at once, as if all had.
     */
    private final IntSupplier queuedUntilClosed;
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
        this.queued = () -> !intake.isEmpty();
        this.queuedUntilClosed = () -> intake.accepting() ? intake.size() : Integer.MAX_VALUE;
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
                    waiting.await(queuedUntilClosed);
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

    /** The next op to write, polled for a while before the writer sleeps (see {@link #SPIN_NANOS}). */
    private WriteOp next() throws InterruptedException {
        WriteOp op = intake.poll();
        if (op == null && Spin.until(queued, System.nanoTime() + SPIN_NANOS)) {
            op = intake.poll();
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
            waiting.written(ops.size(), waited, batchNanos, commitNanos); // carried ops' callers were released before
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
        waiting.refused();
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
