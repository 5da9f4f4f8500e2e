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
 * The single writer: gathers the operations submitted by all connections into batches and writes
 * each batch in one transaction with one log force.
 *
 * <p>In sync mode it writes as soon as there is work, so operations arriving while a commit is
 * under way ride on the next one together (group commit), and their callers are released only once
 * their batch is on disk. When nothing arrived during a commit, the writer completes its callers
 * itself (writing their replies), the one hand-off per operation being the submission; when more
 * is waiting, the completions go to another thread and the writer commits the next batch at once.
 * In no-sync mode callers are not kept waiting: it starts writing each operation within
 * {@code flushInterval} milliseconds of its submission, or once the commit under way ends (back to
 * back while a backlog remains), so while commits take less than an interval each operation is
 * written within about two. A stalled commit cannot be hurried; instead, once the oldest unwritten
 * operation is older than two intervals, or would be by the time the backlog is written, or the
 * backlog holds too many operations or bytes, callers that ask ({@link #backlogged}) wait for the
 * disk. So the acknowledged writes a crash can lose arrived within about two intervals of the
 * oldest unwritten operation, whatever the disk's speed (within about the last two intervals while
 * commits keep up), and the heap is not filled with unwritten bodies. An idle writer sleeps until work arrives. A refused batch is handled by
 * {@link Carried} (what was acknowledged is retried until written, what was not fails), the
 * writer pausing {@link #RETRY_MILLIS} after each refusal; while writes fail, no-sync callers are
 * held as sync ones are ({@link #holding}, {@link Outage}), so that no new write is acknowledged
 * that only memory holds. The queue counters ride along as {@link CounterCadence} says.
 */
public final class GroupCommit implements Runnable {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());
    static final int MAX_BATCH = 8192;
    private static final long RETRY_MILLIS = 500;
    /**
     * How long a sync writer that just committed polls for the next operation before it sleeps.
     * Waking a sleeping thread costs tens of microseconds on a virtual machine, about what the
     * commit itself costs; a client that sends its next command once it has its reply is back
     * within a round trip, so a short spin keeps the wake-up off its path. Under load there is
     * always work and no spin; idle, the writer sleeps.
     */
    private static final long SPIN_NANOS = 200_000;

    private final MessageStore store;
    private final Executor completions;
    private final boolean sync;
    private final long flushIntervalMillis;
    private final Intake intake;
    private final Carried carried;
    private final CounterCadence counters;
    private final Outage outage = new Outage();
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
     * @param completions     runs the callers' continuations (writing their replies) in order, so
     *                        the writer can start the next commit meanwhile
     * @param counters        when the queue counters ride along with a batch
     */
    GroupCommit(MessageStore store, Executor completions, CounterCadence counters, boolean sync,
                long flushIntervalMillis) {
        this.store = store;
        this.completions = completions;
        this.sync = sync;
        this.flushIntervalMillis = flushIntervalMillis;
        this.intake = new Intake(sync, 2 * flushIntervalMillis);
        this.carried = new Carried();
        this.counters = counters;
    }

    public boolean sync() {
        return sync;
    }

    /**
     * Queues an op for writing; false, with the op failed, once the writer is stopping. In no-sync
     * mode an op that takes effect once written (submitted {@linkplain #holding held}) keeps the
     * writer holding until it is written or failed.
     */
    boolean submit(WriteOp op) {
        boolean held = held(op);
        if (held) {
            outage.hold(); // before the writer can take it: its release must not come first
        }
        if (intake.submit(op)) {
            return true;
        }
        if (held) {
            outage.release();
        }
        return false;
    }

    private boolean held(WriteOp op) {
        return !sync && op.whenRefused() == WriteOp.WhenRefused.FAIL;
    }

    /**
     * No-sync mode: whether an op submitted now must take effect and be acknowledged only once
     * written, failing with its batch, as in sync mode. True while writes fail, and then until
     * the ops submitted so are written or failed (see {@link Outage}); otherwise ops take effect
     * and are acknowledged at once. Read under the queues' lock, with the submission that follows.
     */
    boolean holding() {
        return outage.holding();
    }

    /**
     * Writes what is pending and stops the writer; returns once it has, or after the timeout. On
     * a failing disk sync mode gives up at once; no-sync mode keeps trying for the timeout.
     */
    public void stop(long timeoutMillis) {
        Flush last = new Flush(sync);
        intake.close(last);
        try {
            last.done.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "the writer did not finish writing before stopping", e);
        }
    }

    /** Whether so much is queued that a no-sync caller should wait for its write. */
    boolean backlogged() {
        return intake.backlogged();
    }

    /** Why the last write failed, or null while writes succeed. */
    public String failure() {
        return outage.reason();
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

    /** Batches the database refused (each retried or failed to its callers). */
    public long failedWrites() {
        return failedWrites;
    }

    /** Tells {@code observer} of every batch from now on (metrics); one at a time. */
    public void observe(CommitObserver observer) {
        this.observer = observer == null ? CommitObserver.NONE : observer;
    }

    /** A no-sync pop came before the writer took the message's insert: its body will not be written. */
    void skipped(int bytes) {
        intake.skipped(bytes);
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
                intake.drainTo(ops, MAX_BATCH - ops.size());
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
                ops.add(next());
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
            if (holding && held(op)) {
                outage.release(); // after its effect: what follows it may take effect at once
            }
        }
        Runnable complete = () -> {
            for (WriteOp op : all) {
                op.done.complete(null);
            }
        };
        if (intake.isEmpty()) {
            complete.run(); // nobody waits for the next commit: no hand-off, no thread to wake
        } else {
            completions.execute(complete);
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
            if (held(op)) {
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
