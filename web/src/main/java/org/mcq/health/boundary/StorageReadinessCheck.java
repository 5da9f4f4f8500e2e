package org.mcq.health.boundary;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.boundary.Queues;

/**
 * UP when the database answers a ping ({@code SELECT 1}, with a timeout) and the last write to it
 * succeeded (with PostgreSQL, the housekeeping's of a second ago); DOWN while a shared database is
 * unreachable, so a load balancer sends clients to the servers that can serve them. A probe costs the
 * database that one round trip and nothing more: no count of messages, no commit of counters, since
 * whoever reaches the HTTP port may probe as often as they like (the metrics have the depth).
 */
@Readiness
@ApplicationScoped
public class StorageReadinessCheck implements HealthCheck {

    @EJB
    Queues queues;

    @Override
    public HealthCheckResponse call() {
        if (!queues.isStarted()) {
            String failure = queues.startFailure();
            return HealthCheckResponse.named("storage").down()
                    .withData("reason", failure == null ? "starting" : "mcq cannot start, " + failure).build();
        }
        String failure = queues.storageFailure();
        if (failure != null) {
            return HealthCheckResponse.named("storage").down().withData("reason", failure).build();
        }
        try {
            queues.ping();
        } catch (StorageException e) {
            return HealthCheckResponse.named("storage").down().withData("reason", e.getMessage()).build();
        }
        return HealthCheckResponse.named("storage").up()
                .withData("mode", queues.isSync() ? "sync" : "nosync")
                .withData("database", queues.isShared() ? "postgresql" : "derby").build();
    }
}
