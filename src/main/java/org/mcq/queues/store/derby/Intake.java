package org.mcq.queues.store.derby;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.mcq.queues.api.StorageException;

/**
 * The operations submitted to the writer and not yet written: what they hold and how old the
 * oldest is (for the backlog bound), whether more are accepted, and the wake-up of a writer that
 * waits for its interval.
 */
final class Intake {

    /**
     * In no-sync mode, callers wait for the disk once this many operations are queued (so the
     * writer's batches stay a bounded amount of work).
     */
    static final int BACKLOG_LIMIT = 4 * GroupCommit.MAX_BATCH;
    /**
     * The same in bytes of bodies that only the writer keeps (beyond the body budget): 32,768 large
     * bodies would be gigabytes of heap.
     */
    private static final long BACKLOG_BYTES = 32L * 1024 * 1024;

    /**
     * A batch of at least this much {@link #work} costs about its operations alone (the commit's
     * fixed cost is spread thin): it tells what writing a backlog costs per unit of work.
     */
    private static final int MEASURED_BATCH = 256;
    /**
     * Bytes of body that cost the writer about what one operation's row does. Measured in large
     * batches: a 38-byte insert or a removal ~20 us, a 64 KiB insert ~2.5 ms. Without the bodies in
     * the estimate, the rate measured while large bodies were stored made a backlog of small removals
     * look a hundred times too slow to write, and callers waited for the disk for nothing.
     */
    private static final int BYTES_PER_UNIT = 512;

    private final boolean sync;
    /** In no-sync mode, how long an op may stay unwritten, its wait included, before callers wait for the disk. */
    private final long maxLagNanos;
    private final LinkedBlockingQueue<WriteOp> pending = new LinkedBlockingQueue<>();
    private final Semaphore wakeUp = new Semaphore(0);
    /** Bytes of bodies submitted and not yet written. */
    private final AtomicLong pendingBytes = new AtomicLong();
    /** {@link #work} of the ops submitted and not yet written. */
    private final AtomicLong pendingWork = new AtomicLong();
    /** What writing one unit of {@link #work} in a large batch took lately (0 until one was written). */
    private volatile long nanosPerUnit;
    /** When the oldest op the writer has taken and not yet written was submitted; 0 if none. */
    private volatile long heldSince;
    private volatile boolean accepting = true;

    Intake(boolean sync, long maxLagMillis) {
        this.sync = sync;
        this.maxLagNanos = TimeUnit.MILLISECONDS.toNanos(maxLagMillis);
    }

    /**
     * Queues an op; false, with the op failed, once no more are accepted. An op is either taken by
     * the writer or refused here, never left behind: {@link #close} stops accepting before it
     * queues the last flush, and an op that lands behind that flush is taken back out.
     */
    boolean submit(WriteOp op) {
        if (accepting) {
            op.submittedAt = System.nanoTime();
            pendingBytes.addAndGet(op.bytes());
            pendingWork.addAndGet(work(op));
            pending.add(op);
            if (accepting) {
                if (!sync && (op.urgent() || pending.size() == GroupCommit.MAX_BATCH)) {
                    wakeUp.release(); // a full batch is waiting: no reason to wait for the interval
                }
                return true;
            }
            if (!pending.remove(op)) {
                return true; // the writer has it: written with the last batch
            }
            pendingBytes.addAndGet(-op.bytes());
            pendingWork.addAndGet(-work(op));
        }
        op.done.completeExceptionally(new StorageException("server is stopping", null));
        return false;
    }

    /** Accepts no more ops and queues {@code last} behind everything accepted. */
    void close(Flush last) {
        accepting = false;
        pending.add(last);
        wakeUp.release();
    }

    /** What writing an op costs, in units of about one row's cost: the op, and its body by size. */
    static long work(WriteOp op) {
        return op.work(BYTES_PER_UNIT);
    }

    /**
     * Whether a no-sync caller should wait for its write: the oldest unwritten op is older than the
     * lag limit, or will be by the time what is unwritten is written at the rate large batches were
     * written lately (so the loss window holds in time, however slow the disk), or too much is queued.
     */
    boolean backlogged() {
        long oldest = heldSince;
        if (oldest == 0) {
            WriteOp head = pending.peek();
            oldest = head == null ? 0 : head.submittedAt;
        }
        return oldest != 0 && System.nanoTime() - oldest + pendingWork.get() * nanosPerUnit > maxLagNanos
                || pending.size() > BACKLOG_LIMIT || pendingBytes.get() > BACKLOG_BYTES;
    }

    /** An insert's body of {@code bytes} will not be written after all (see {@link Insert#writtenBytes}). */
    void skipped(int bytes) {
        pendingWork.addAndGet(-(bytes / BYTES_PER_UNIT));
    }

    /** A batch of {@code ops} took {@code nanos} to write. */
    void wrote(List<WriteOp> ops, long nanos) {
        long work = 0;
        for (WriteOp op : ops) {
            work += work(op);
        }
        if (work >= MEASURED_BATCH) {
            long last = nanos / work;
            nanosPerUnit = nanosPerUnit == 0 ? last : (3 * nanosPerUnit + last) / 4;
        }
    }

    /** The writer holds {@code ops} (taken, not yet written; the first is the oldest), or none. */
    void held(List<WriteOp> ops) {
        heldSince = ops.isEmpty() ? 0 : ops.get(0).submittedAt;
    }

    /** The op's body is written (or failed): it no longer counts towards the backlog. */
    void written(WriteOp op) {
        pendingBytes.addAndGet(-op.bytes());
        pendingWork.addAndGet(-work(op));
    }

    int size() {
        return pending.size();
    }

    /** False once {@link #close} began: the last flush may be queued, and nothing more will come. */
    boolean accepting() {
        return accepting;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    WriteOp take() throws InterruptedException {
        return pending.take();
    }

    WriteOp poll() {
        return pending.poll();
    }

    WriteOp poll(long timeout, TimeUnit unit) throws InterruptedException {
        return pending.poll(timeout, unit);
    }

    void drainTo(List<WriteOp> ops, int max) {
        pending.drainTo(ops, max);
    }

    /** Waits until {@code deadline} ({@link System#nanoTime}) unless an urgent op or a full batch comes first. */
    void awaitUrgent(long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left > 0 && pending.size() < GroupCommit.MAX_BATCH) {
            wakeUp.tryAcquire(left, TimeUnit.NANOSECONDS);
        }
        wakeUp.drainPermits();
    }
}
