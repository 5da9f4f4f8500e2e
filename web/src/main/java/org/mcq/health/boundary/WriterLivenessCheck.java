package org.mcq.health.boundary;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.mcq.queues.boundary.Queues;

/**
 * DOWN if the started server's writer thread has died: nothing could be made durable any more and
 * only a restart helps. A failing database is a readiness matter, not a liveness one.
 */
@Liveness
@ApplicationScoped
public class WriterLivenessCheck implements HealthCheck {

    @EJB
    Queues queues;

    @Override
    public HealthCheckResponse call() {
        boolean alive = !queues.isStarted() || queues.writerAlive();
        return HealthCheckResponse.named("writer").status(alive).build();
    }
}
