package org.mcq.queues.control;

/** Writes everything submitted before it; the {@link #last} one stops the writer afterwards. */
final class Flush extends WriteOp {

    final boolean last;

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
