package org.mcq.queues.store.derby;

/** The last op, from {@link GroupCommit#stop}: writes everything submitted before it, then the writer stops. */
final class Flush extends WriteOp {

    private final boolean sync;

    Flush(boolean sync) {
        this.sync = sync;
    }

    @Override
    void addTo(Batch batch) {
    }

    /**
     * Sync mode gives up on a failing disk (all it still holds is removals of consumed messages,
     * delivered again after the restart); no-sync mode holds acknowledged writes, so it keeps
     * trying for as long as the stop waits.
     */
    @Override
    WhenRefused whenRefused() {
        return sync ? WhenRefused.FAIL : WhenRefused.RETRY;
    }

    @Override
    boolean urgent() {
        return true;
    }
}
