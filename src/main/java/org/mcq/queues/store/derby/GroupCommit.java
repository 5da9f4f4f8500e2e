package org.mcq.queues.store.derby;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mcq.queues.api.CommitObserver;

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
 * writer pausing {@link CommitLoop#RETRY_MILLIS} after each refusal; while writes fail, no-sync
 * callers are held as sync ones are ({@link #holding}, {@link Outage}), so that no new write is
 * acknowledged that only memory holds. The queue counters ride along as {@link CounterCadence} says.
 * Its thread runs {@link CommitLoop}; the callers submit here, on their own threads.
 */
public final class GroupCommit implements Runnable {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());
    static final int MAX_BATCH = 8192;

    private final boolean sync;
    private final Intake intake;
    private final Outage outage = new Outage();
    private final CommitLoop loop;

    /**
     * @param completions     runs the callers' continuations (writing their replies) in order, so
     *                        the writer can start the next commit meanwhile
     * @param counters        when the queue counters ride along with a batch
     */
    GroupCommit(MessageStore store, Executor completions, CounterCadence counters, boolean sync,
                long flushIntervalMillis) {
        this.sync = sync;
        this.intake = new Intake(sync, 2 * flushIntervalMillis);
        this.loop = new CommitLoop(store, completions, counters, sync, flushIntervalMillis, intake, outage);
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
        boolean held = held(sync, op);
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

    /** Whether an op is submitted held: in no-sync mode, one that takes effect only once written. */
    static boolean held(boolean sync, WriteOp op) {
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
        return loop.alive();
    }

    public long batches() {
        return loop.batches();
    }

    public long writtenOps() {
        return loop.writtenOps();
    }

    /** Batches the database refused (each retried or failed to its callers). */
    public long failedWrites() {
        return loop.failedWrites();
    }

    /** Tells {@code observer} of every batch from now on (metrics); one at a time. */
    public void observe(CommitObserver observer) {
        loop.observe(observer);
    }

    /** A no-sync pop came before the writer took the message's insert: its body will not be written. */
    void skipped(int bytes) {
        intake.skipped(bytes);
    }

    @Override
    public void run() {
        loop.run();
    }
}
