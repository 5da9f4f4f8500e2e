package org.mcq.queues.control;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operations submitted to the writer and not yet taken: what they hold (for the backlog
 * bound), whether more are accepted, and the wake-up of a writer that waits for its interval.
 */
final class Intake {

    /**
     * In no-sync mode, callers wait for the disk once this many operations are queued: the writer is
     * falling behind and the loss window would otherwise grow without bound.
     */
    static final int BACKLOG_LIMIT = 4 * GroupCommit.MAX_BATCH;
    /**
     * The same in bytes of bodies that only the writer keeps (beyond the body budget): 32,768 large
     * bodies would be gigabytes of heap.
     */
    private static final long BACKLOG_BYTES = 32L * 1024 * 1024;

    private final boolean sync;
    private final LinkedBlockingQueue<WriteOp> pending = new LinkedBlockingQueue<>();
    private final Semaphore wakeUp = new Semaphore(0);
    /** Bytes of bodies submitted and not yet written. */
    private final AtomicLong pendingBytes = new AtomicLong();
    private volatile boolean accepting = true;

    Intake(boolean sync) {
        this.sync = sync;
    }

    /**
     * Queues an op; false, with the op failed, once no more are accepted. An op is either taken by
     * the writer or refused here, never left behind: {@link #close} stops accepting before it
     * queues the last flush, and an op that lands behind that flush is taken back out.
     */
    boolean submit(WriteOp op) {
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

    /** Accepts no more ops and queues {@code last} behind everything accepted. */
    void close(Flush last) {
        accepting = false;
        pending.add(last);
        wakeUp.release();
    }

    boolean backlogged() {
        return pending.size() > BACKLOG_LIMIT || pendingBytes.get() > BACKLOG_BYTES;
    }

    /** The op's body is written (or failed): it no longer counts towards the backlog. */
    void written(WriteOp op) {
        pendingBytes.addAndGet(-op.bytes());
    }

    int size() {
        return pending.size();
    }

    WriteOp take() throws InterruptedException {
        return pending.take();
    }

    WriteOp poll(long timeout, TimeUnit unit) throws InterruptedException {
        return pending.poll(timeout, unit);
    }

    void drainTo(List<WriteOp> ops, int max) {
        pending.drainTo(ops, max);
    }

    /** Waits for an urgent op or the timeout, whichever comes first. */
    void awaitUrgent(long timeoutMillis) throws InterruptedException {
        wakeUp.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
        wakeUp.drainPermits();
    }
}
