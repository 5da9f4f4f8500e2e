package org.mcq.health.boundary;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;
import org.mcq.queues.boundary.Queues;

/** UP once the queues have been loaded from the database and the writer runs; DOWN with the reason if they cannot start. */
@Startup
@ApplicationScoped
public class QueuesStartupCheck implements HealthCheck {

    @EJB
    Queues queues;

    @Override
    public HealthCheckResponse call() {
        String failure = queues.startFailure();
        if (failure != null) {
            return HealthCheckResponse.named("queues-loaded").down().withData("reason", "mcq cannot start, " + failure).build();
        }
        return HealthCheckResponse.named("queues-loaded").status(queues.isStarted()).build();
    }
}
