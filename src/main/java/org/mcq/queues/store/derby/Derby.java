package org.mcq.queues.store.derby;

import org.mcq.queues.api.QueueService;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.api.Store;
import org.mcq.queues.api.StoreContext;
import org.mcq.queues.api.StoreSettings;

/** This server's own embedded Derby database ({@code mcq.db=derby}, the default): {@link DerbyQueues}. */
public final class Derby implements Store {

    /** Derby reads its tuning when its engine boots, at the first connection. */
    @Override
    public void prepare(StoreSettings s) {
        new DerbyTuning(s.pageCachePages(), s.logBufferKb(), s.pageSize()).apply();
    }

    @Override
    public QueueService start(StoreContext context) throws StorageException {
        StoreSettings s = context.settings();
        QueueSet.Settings settings = new QueueSet.Settings(s.sync(), s.flushIntervalMillis(),
                s.memoryBudgetMb() * 1024 * 1024, s.countersIntervalSeconds() * 1000, s.openTimeoutSeconds() * 1000,
                s.expiry(), s.idleDropSeconds() * 1000, s.fanout());
        String mode = s.sync() ? "sync" : "no-sync (flush every " + s.flushIntervalMillis() + " ms)";
        return new DerbyQueues(context.writes(), context.reads(), context.threads(), context.executor(),
                context.scheduler(), context.timers(), settings, s.checkpointIntervalSeconds(), context.limits(),
                " in " + s.dataDir() + ", " + mode + " mode");
    }
}
