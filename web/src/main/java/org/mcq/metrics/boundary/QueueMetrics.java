package org.mcq.metrics.boundary;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.mcq.metrics.control.QueueSeries;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.boundary.Queues;

/**
 * Series per queue, tagged {@code queue="<name>"}, for the deepest {@code mcq.metrics.queue.series}
 * queues (see {@link QueueSeries}). Every {@link #REFRESH_MILLIS} one snapshot of all queues is
 * taken, off any client's path: it updates the figures the gauges read and adds and removes series
 * as queues come, go and change depth. With so many queues that a snapshot takes long, the next
 * waits {@link #BACKOFF} times as long, so this never takes more than about 2% of a core. Nothing
 * here runs per command.
 */
@ApplicationScoped
public class QueueMetrics {

    private static final Logger LOG = Logger.getLogger(QueueMetrics.class.getName());
    static final long REFRESH_MILLIS = 2000;
    static final long BACKOFF = 50;
    private static final long SNAPSHOT_TIMEOUT_SECONDS = 60;

    private record Figure(String name, String description, ToDoubleFunction<QueueDump> value) {
    }

    private static final List<Figure> FIGURES = List.of(
            new Figure("mcq_queue_messages", "Messages waiting in the queue (not counting open reads)", QueueDump::items),
            new Figure("mcq_queue_bytes", "Bytes of the bodies waiting in the queue", QueueDump::bytes),
            new Figure("mcq_queue_oldest_age_seconds", "Age of the oldest waiting message; 0 when empty",
                    dump -> dump.ageMillis() / 1000.0),
            new Figure("mcq_queue_enqueued_total", "Messages stored in the queue since it was made", QueueDump::totalItems),
            new Figure("mcq_queue_dequeued_total", "Messages that left the queue since it was made: delivered, expired, dropped, flushed or purged", QueueDump::consumed),
            new Figure("mcq_queue_open_reads", "Reads held open (get q/open), not yet closed or aborted", QueueDump::openReads),
            new Figure("mcq_queue_waiters", "Readers waiting for a message (get q/t=ms)", QueueDump::waiters),
            new Figure("mcq_queue_expired_total", "Messages expired before delivery since the server started", QueueDump::expired),
            new Figure("mcq_queue_discarded_total", "Messages discarded to make room (drop-oldest) since the server started",
                    QueueDump::discarded));

    @Inject
    MetricRegistry registry;

    @EJB
    Queues queues;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** mcq.metrics.queue.series, read once the queues have started: a wrong one has stopped them (SettingsCheck). */
    private int maxQueues;

    private QueueSeries series;
    private volatile ScheduledFuture<?> refreshing;
    private volatile boolean stopped;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (queues.startFailure() != null) {
            return; // no queues to show; health says why
        }
        maxQueues = ConfigProvider.getConfig(QueueMetrics.class.getClassLoader())
                .getValue("mcq.metrics.queue.series", Integer.class);
        series = new QueueSeries(maxQueues);
        refreshing = scheduler.schedule(this::refresh, 0, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        stopped = true;
        ScheduledFuture<?> next = refreshing;
        if (next != null) {
            next.cancel(false);
        }
    }

    private void refresh() {
        long tookMillis = 0;
        try {
            long began = System.nanoTime();
            // the deepest only: listing every queue would read millions of records put aside
            QueueSeries.Change change = series.update(queues.operations().deepest(maxQueues)
                    .get(SNAPSHOT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            tookMillis = (System.nanoTime() - began) / 1_000_000; // the snapshot, which recurs; not the registering
            change.removed().forEach(this::unregister);
            change.added().forEach(this::register);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            if (refused(e)) {
                // the server is stopping: its executors take no more work (a stop by SIGTERM logs this
                // now), and there is no next refresh to schedule
                LOG.fine(() -> "queue metrics not refreshed: the server is stopping");
                return;
            }
            LOG.log(Level.WARNING, "refreshing the queue metrics failed", e); // the next refresh tries again
        }
        if (!stopped) {
            refreshing = scheduler.schedule(this::refresh, Math.max(REFRESH_MILLIS, BACKOFF * tookMillis),
                    TimeUnit.MILLISECONDS);
        }
    }

    private static boolean refused(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RejectedExecutionException) {
                return true;
            }
        }
        return false;
    }

    private void register(String queue) {
        Tag tag = new Tag("queue", queue);
        for (Figure figure : FIGURES) {
            registry.gauge(Metadata.builder().withName(figure.name()).withDescription(figure.description()).build(),
                    () -> value(queue, figure), tag);
        }
    }

    private void unregister(String queue) {
        Tag tag = new Tag("queue", queue);
        for (Figure figure : FIGURES) {
            registry.remove(new MetricID(figure.name(), tag));
        }
    }

    private double value(String queue, Figure figure) {
        QueueDump dump = series.figures(queue);
        return dump == null ? 0 : figure.value().applyAsDouble(dump);
    }
}
