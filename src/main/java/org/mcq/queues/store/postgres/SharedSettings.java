package org.mcq.queues.store.postgres;

import java.util.function.Function;
import org.mcq.queues.rules.QueueLimits;

/**
 * @param serverId          this run of this server, unique among all servers ever sharing the database
 * @param address           where its memcache port listens, for operators
 * @param sync              {@code STORED} after PostgreSQL's commit is flushed; false: its asynchronous commit
 * @param lanes             writers, each with its own connection; a queue always uses the same one
 * @param openTimeoutMillis an open read held longer goes back to its queue (0: never)
 * @param takeoverMillis    a server silent this long has its open reads given back by the others
 * @param expiry            whether a {@code set}'s exptime is honoured
 * @param fanout            whether a set copies to the queue's fanout subscribers ({@code Fanout})
 * @param limits            each queue's limits, by name
 */
public record SharedSettings(String serverId, String address, boolean sync, int lanes, long openTimeoutMillis,
                             long takeoverMillis, boolean expiry, boolean fanout, Function<String, QueueLimits> limits) {

    /** Without fanout. */
    public SharedSettings(String serverId, String address, boolean sync, int lanes, long openTimeoutMillis,
                          long takeoverMillis, boolean expiry, Function<String, QueueLimits> limits) {
        this(serverId, address, sync, lanes, openTimeoutMillis, takeoverMillis, expiry, false, limits);
    }
}
