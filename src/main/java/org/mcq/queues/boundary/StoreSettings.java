package org.mcq.queues.boundary;

import org.eclipse.microprofile.config.Config;

/**
 * The queue service's settings (server.xml's variables; see there and the README), read once
 * {@link SettingsCheck} has found them right: never injected, since MicroProfile Config's checks at
 * deployment would fail the whole application on a wrong one, before it can say which, and take a
 * flag's typo for false.
 */
record StoreSettings(boolean sync, long flushIntervalMillis, long memoryBudgetMb, long checkpointIntervalSeconds,
        long countersIntervalSeconds, long openTimeoutSeconds, boolean expiry, long idleDropSeconds,
        int pageCachePages, int logBufferKb, int pageSize, String database, int sharedWriters, long takeoverSeconds,
        String host, int port, String dataDir, String backupDir) {

    static StoreSettings read(Config config) {
        return new StoreSettings(
                config.getValue("mcq.sync", Boolean.class),
                number(config, "mcq.flush.interval.ms"),
                number(config, "mcq.memory.budget.mb"),
                number(config, "mcq.checkpoint.interval.s"),
                number(config, "mcq.counters.interval.s"),
                number(config, "mcq.open.timeout.s"),
                config.getValue("mcq.expiry", Boolean.class),
                number(config, "mcq.queue.idle.drop.s"),
                (int) number(config, "mcq.db.page.cache.pages"),
                (int) number(config, "mcq.db.log.buffer.kb"),
                (int) number(config, "mcq.db.page.size"),
                config.getValue("mcq.db", String.class).strip(),
                (int) number(config, "mcq.db.writers"),
                number(config, "mcq.db.takeover.s"),
                config.getValue("mcq.host", String.class).strip(),
                (int) number(config, "mcq.port"),
                config.getOptionalValue("mcq.data.dir", String.class).map(String::strip).orElse(""),
                config.getOptionalValue("mcq.backup.dir", String.class).map(String::strip).orElse(""));
    }

    /** Checked to be a whole number in its range, as {@link org.mcq.settings.Rule#wholeNumber} reads one. */
    private static long number(Config config, String name) {
        return Long.parseLong(config.getValue(name, String.class).strip());
    }

    boolean shared() {
        return "postgresql".equals(database);
    }
}
