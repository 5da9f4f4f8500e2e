package org.mcq.queues.control;

/**
 * MemcacheQ's BerkeleyDB knobs, applied to Derby. Derby reads them as system properties when its
 * engine boots, which is at the first connection, so they are set before the queues open the
 * database (a value set with -D in jvm.options is overwritten: server.xml holds the settings).
 *
 * @param pageCachePages {@code -m}: pages Derby caches (a page is 4 KiB, 32 KiB in the message table)
 * @param logBufferKb    {@code -L}: the log buffer, in KiB
 * @param pageSize       {@code -A}: page size in bytes of tables made from now on; 0 leaves Derby's
 *                       choice (4 KiB, and 32 KiB for the message table, whose bodies are BLOBs)
 */
public record DerbyTuning(int pageCachePages, int logBufferKb, int pageSize) {

    public void apply() {
        System.setProperty("derby.storage.pageCacheSize", Integer.toString(pageCachePages));
        System.setProperty("derby.storage.logBufferSize", Integer.toString(logBufferKb * 1024));
        if (pageSize > 0) {
            System.setProperty("derby.storage.pageSize", Integer.toString(pageSize));
        }
    }
}
