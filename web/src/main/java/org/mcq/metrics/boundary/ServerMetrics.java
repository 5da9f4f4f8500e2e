package org.mcq.metrics.boundary;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.mcq.listener.ListenerState;
import org.mcq.memcache.control.Statistics;
import org.mcq.protocol.Verb;
import org.mcq.queues.api.CommitObserver;
import org.mcq.queues.api.QueueTotals;
import org.mcq.queues.boundary.Queues;

/**
 * The server's own series: connections, commands by verb, what the writer commits and how long it
 * takes, and the memory clients make it hold. Counts are read where they are kept already; the
 * writer reports each batch (not each operation) to the histogram and timers.
 */
@ApplicationScoped
public class ServerMetrics implements CommitObserver {

    private static final Logger LOG = Logger.getLogger(ServerMetrics.class.getName());

    private static final long TOTALS_TIMEOUT_SECONDS = 10;

    @Inject
    MetricRegistry registry;

    @Inject
    Statistics statistics;

    @EJB
    Queues queues;

    @Resource(lookup = "mcq/listener")
    ListenerState transport;

    private Histogram batchSize;
    private Timer commitDuration;
    private Timer forcedWriteDuration;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        gauge("mcq_connections", "Client connections open now", transport::currentConnections);
        gauge("mcq_connections_accepted_total", "Client connections accepted since the start", transport::totalConnections);
        gauge("mcq_connections_rejected_total", "Connections refused at mcq.max.connections", transport::rejectedConnections);
        gauge("mcq_client_memory_bytes", "Bytes clients make the server hold: data blocks, reply bodies, unsent output",
                transport::clientMemoryUsed);
        gauge("mcq_client_memory_limit_bytes", "The budget for mcq_client_memory_bytes (mcq.client.memory.mb)",
                transport::clientMemoryLimit);
        gauge("mcq_read_bytes_total", "Bytes received from clients", transport::bytesRead);
        gauge("mcq_written_bytes_total", "Bytes sent to clients", transport::bytesWritten);
        gauge("mcq_queues", "Queues the server holds", () -> started(totals -> totals.queues()));
        gauge("mcq_messages", "Messages waiting in all queues", () -> started(totals -> totals.messages()));
        gauge("mcq_cached_bytes", "Bodies kept on the heap (mcq.memory.budget.mb)", () -> started(totals -> totals.cachedBytes()));
        gauge("mcq_write_failures_total", "Batches the database refused", () -> started(totals -> totals.failedWrites()));
        for (Verb verb : Verb.values()) {
            registry.gauge(Metadata.builder().withName("mcq_commands_total")
                    .withDescription("Commands received, by verb").build(),
                    () -> statistics.commands(verb), new Tag("verb", verb.wireName()));
        }
        batchSize = registry.histogram(Metadata.builder().withName("mcq_commit_batch_size")
                .withDescription("Operations per committed batch").build());
        commitDuration = registry.timer(Metadata.builder().withName("mcq_commit_duration")
                .withDescription("Writing one batch: statements and commit").withUnit(MetricUnits.SECONDS).build());
        forcedWriteDuration = registry.timer(Metadata.builder().withName("mcq_forced_write_duration")
                .withDescription("The commit alone, where the database forces its log to disk").withUnit(MetricUnits.SECONDS).build());
        queues.observeCommits(this);
    }

    @PreDestroy
    void stop() {
        try {
            queues.observeCommits(null);
        } catch (RuntimeException e) {
            // the queues' bean went first (an application stopping soon after its start): nothing to tell
            LOG.fine("the queues were gone before the metrics: " + e);
        }
    }

    /** A figure of the queues' totals; 0 while the queues are not running (health says why), not a failed scrape. */
    private Number started(java.util.function.Function<QueueTotals, Number> figure) {
        return queues.isStarted() ? figure.apply(totals()) : 0;
    }

    /** The queues' totals, awaited on the scrape's thread (a shared store asks its database on another). */
    private QueueTotals totals() {
        try {
            return queues.operations().totals().get(TOTALS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the queues' totals", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the queues' totals: " + e, e);
        }
    }

    private void gauge(String name, String description, Supplier<Number> value) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).build(), () -> value.get().doubleValue());
    }

    @Override
    public void committed(int ops, long batchNanos, long commitNanos) {
        batchSize.update(ops);
        commitDuration.update(Duration.ofNanos(batchNanos));
        forcedWriteDuration.update(Duration.ofNanos(commitNanos));
    }

    /** The commit timers, for the dashboard. */
    public Timer commitDuration() {
        return commitDuration;
    }

    public Timer forcedWriteDuration() {
        return forcedWriteDuration;
    }
}
