package org.mcq.queues.store.derby;

/**
 * MemcacheQ's BerkeleyDB knobs, applied to Derby. Derby reads them as system properties when its
 * engine boots, which is at the first connection, so they are set before the queues open the
 * database (a value set with -D in jvm.options is overwritten: server.xml holds the settings).
 *
 * @param pageCachePages {@code -m}: pages Derby caches (a page is 4 KiB, 32 KiB in the message table)
 * @param logBufferKb    {@code -L}: the log buffer, in KiB; it also sets how often Derby starts a new log file
 * @param pageSize       {@code -A}: page size in bytes of tables made from now on; 0 leaves Derby's
 *                       choice (4 KiB, and 32 KiB for the message table, whose bodies are BLOBs)
 */
public record DerbyTuning(int pageCachePages, int logBufferKb, int pageSize) {

    /** Derby's bounds for a log file's size. */
    private static final int MIN_LOG_FILE = 1 << 20;
    private static final int MAX_LOG_FILE = 128 << 20;

    public void apply() {
        System.setProperty("derby.storage.pageCacheSize", Integer.toString(pageCachePages));
        // a lock waited for this long is checked for a deadlock (a report's read beside a batch, which
        // is then run again): after a second, not Derby's default 20
        System.setProperty("derby.locks.deadlockTimeout", "1");
        System.setProperty("derby.storage.logBufferSize", Integer.toString(logBufferKb * 1024));
        System.setProperty("derby.storage.logSwitchInterval", Integer.toString(logFileBytes()));
        if (pageSize > 0) {
            System.setProperty("derby.storage.pageSize", Integer.toString(pageSize));
        }
    }

    /**
     * A new log file every 16 buffers. On each switch the committing thread allocates three buffers
     * and writes the whole next file full of zeros, then syncs it (writes to a preallocated file are
     * what make Derby's "rwd" log fast); with Derby's 1 MiB and a large buffer that came to 5 MiB of
     * garbage per MiB of log, and larger files stall the commit that switches for longer.
     */
    int logFileBytes() {
        return (int) Math.max(MIN_LOG_FILE, Math.min(MAX_LOG_FILE, 16L * logBufferKb * 1024));
    }
}
