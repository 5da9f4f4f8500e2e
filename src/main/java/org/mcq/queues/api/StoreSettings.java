package org.mcq.queues.api;

/**
 * The queue service's settings (server.xml's variables; see there and the README), as a store is
 * started with them: read once they were found right ({@code org.mcq.queues.boundary.SettingsCheck}).
 */
public record StoreSettings(boolean sync, long flushIntervalMillis, long memoryBudgetMb, long checkpointIntervalSeconds,
        long countersIntervalSeconds, long openTimeoutSeconds, boolean expiry, boolean fanout, long idleDropSeconds,
        int pageCachePages, int logBufferKb, int pageSize, String database, int sharedWriters, long takeoverSeconds,
        String host, int port, String dataDir, String backupDir) {

    /** Whether the queues live in a PostgreSQL database several servers share. */
    public boolean shared() {
        return "postgresql".equals(database);
    }
}
