package org.mcq.queues.store.derby;

import java.util.ArrayList;
import java.util.List;

/**
 * The retry policy for a batch the database refused, op by op as {@link WriteOp#whenRefused} says:
 * an op that takes effect only once written fails and is undone; the others (already acknowledged,
 * already seen, or whose caller may go on without the write) are carried into the next batch and
 * written again before anything new, until the database takes them.
 */
final class Carried {

    /** What to tell the callers of a refused batch: an error, or to go on. */
    record Outcome(List<WriteOp> failed, List<WriteOp> deferred) {
    }

    private final List<WriteOp> ops = new ArrayList<>();

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
            if (op.whenRefused() == WriteOp.WhenRefused.FAIL) {
                op.failed();
                failed.add(op);
            }
        }
        for (WriteOp op : fresh) {
            WriteOp.WhenRefused when = op.whenRefused();
            if (when != WriteOp.WhenRefused.FAIL) {
                ops.add(op);
                if (when == WriteOp.WhenRefused.DEFER) {
                    deferred.add(op); // let the caller go on; the write is retried
                }
            }
        }
        return new Outcome(failed, deferred);
    }
}
