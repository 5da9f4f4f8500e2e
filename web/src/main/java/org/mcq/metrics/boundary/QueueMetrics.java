package org.mcq.metrics.boundary;

import jakarta.annotation.PreDestroy;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.mcq.metrics.control.QueueSnapshot;
import org.mcq.queues.boundary.Queues;
import org.mcq.queues.control.QueueEvents;
import org.mcq.queues.control.QueueSet;

/**
 * A series per queue for each of its figures, tagged {@code queue="<name>"}: registered when the
 * queue is made, removed when it is dropped, read from one snapshot per scrape. Nothing here runs
 * per command: the queue service reports only queues made and dropped.
 */
@ApplicationScoped
public class QueueMetrics implements QueueEvents {

    private record Figure(String name, String description, ToDoubleFunction<QueueSet.QueueDump> value) {
    }

    private static final List<Figure> FIGURES = List.of(
            new Figure("mcq_queue_messages", "Messages waiting in the queue (not counting open reads)", QueueSet.QueueDump::items),
            new Figure("mcq_queue_bytes", "Bytes of the bodies waiting in the queue", QueueSet.QueueDump::bytes),
            new Figure("mcq_queue_oldest_age_seconds", "Age of the oldest waiting message; 0 when empty",
                    dump -> dump.ageMillis() / 1000.0),
            new Figure("mcq_queue_enqueued_total", "Messages stored in the queue since it was made", QueueSet.QueueDump::totalItems),
            new Figure("mcq_queue_dequeued_total", "Messages consumed from the queue since it was made", QueueSet.QueueDump::consumed),
            new Figure("mcq_queue_open_reads", "Reads held open (get q/open), not yet closed or aborted", QueueSet.QueueDump::openReads),
            new Figure("mcq_queue_waiters", "Readers waiting for a message (get q/t=ms)", QueueSet.QueueDump::waiters),
            new Figure("mcq_queue_expired_total", "Messages expired before delivery since the server started", QueueSet.QueueDump::expired),
            new Figure("mcq_queue_discarded_total", "Messages discarded to make room (drop-oldest) since the server started",
                    QueueSet.QueueDump::discarded));

    @Inject
    MetricRegistry registry;

    @EJB
    Queues queues;

    private QueueSnapshot snapshot;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        snapshot = new QueueSnapshot(() -> queues.operations().dump(List.of()), 1000);
        queues.observe(this); // first, so no queue made meanwhile is missed; registering twice is harmless
        queues.operations().queueStats().forEach(queue -> created(queue.name()));
    }

    @PreDestroy
    void stop() {
        queues.observe(null);
    }

    @Override
    public void created(String queue) {
        Tag tag = new Tag("queue", queue);
        for (Figure figure : FIGURES) {
            registry.gauge(Metadata.builder().withName(figure.name()).withDescription(figure.description()).build(),
                    () -> value(queue, figure), tag);
        }
    }

    @Override
    public void dropped(String queue) {
        Tag tag = new Tag("queue", queue);
        for (Figure figure : FIGURES) {
            registry.remove(new MetricID(figure.name(), tag));
        }
    }

    private double value(String queue, Figure figure) {
        QueueSet.QueueDump dump = snapshot.get(queue);
        return dump == null ? 0 : figure.value().applyAsDouble(dump);
    }
}
