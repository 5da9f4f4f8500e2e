package org.mcq.queues.control;

import java.util.ArrayList;
import java.util.List;

/**
 * The retry policy for a batch the database refused. Ops already acknowledged (all of them in
 * no-sync mode) or that may proceed without their write ({@link WriteOp#deferrable()}) are carried
 * into the next batch and written again before anything new, until the database takes them; in
 * sync mode the others fail and their callers get an error.
 */
final class Carried {

    /** What to tell the callers of a refused batch. */
    record Outcome(List<WriteOp> failed, List<WriteOp> deferred) {
    }

    private final boolean sync;
    private final List<WriteOp> ops = new ArrayList<>();

    Carried(boolean sync) {
        this.sync = sync;
    }

    boolean isEmpty() {
        return ops.isEmpty();
    }

    int size() {
        return ops.size();
    }

    /** The ops of the next batch: the carried ones first, then {@code fresh}. */
    List<WriteOp> before(List<WriteOp> fresh) {
        List<WriteOp> all = new ArrayList<>(ops.size() + fresh.size());
        all.addAll(ops);
        all.addAll(fresh);
        return all;
    }

    /** The batch with the carried ops was committed. */
    void written() {
        ops.clear();
    }

    /**
     * Sorts the new ops of a refused batch: carries what must be retried, undoes (newest first) what
     * fails. The caller completes the outcome's ops off the writer thread.
     */
    Outcome refused(List<WriteOp> fresh) {
        List<WriteOp> failed = new ArrayList<>();
        List<WriteOp> deferred = new ArrayList<>();
        for (int i = fresh.size() - 1; i >= 0; i--) {
            WriteOp op = fresh.get(i);
            if (sync && !op.deferrable()) {
                op.failed();
                failed.add(op);
            }
        }
        for (WriteOp op : fresh) {
            if (!sync || op.deferrable()) {
                ops.add(op);
                if (sync) {
                    op.committed();
                    deferred.add(op); // let the caller go on; the write is retried
                }
            }
        }
        return new Outcome(failed, deferred);
    }
}
