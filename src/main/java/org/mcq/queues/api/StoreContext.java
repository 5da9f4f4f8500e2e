package org.mcq.queues.api;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import javax.sql.DataSource;
import org.mcq.queues.rules.QueueLimits;

/**
 * What a {@link Store} is started with, all of it the container's.
 *
 * @param writes    a non-transactional data source: the writers commit their batches themselves
 * @param reads     for reads from worker threads
 * @param threads   makes the store's own long-lived threads (its writers)
 * @param executor  runs work off the callers' threads: reports, whole-queue changes, reads of bodies
 * @param scheduler runs periodic work that may wait on the database (checkpoints, heartbeats)
 * @param timers    one thread for every waiting read's deadline and the short sweeps; never waits on
 *                  the database
 * @param settings  the settings, found right
 * @param limits    each queue's limits, by its name
 */
public record StoreContext(DataSource writes, DataSource reads, ThreadFactory threads, ExecutorService executor,
                           ScheduledExecutorService scheduler, ScheduledExecutorService timers,
                           StoreSettings settings, Function<String, QueueLimits> limits) {
}
