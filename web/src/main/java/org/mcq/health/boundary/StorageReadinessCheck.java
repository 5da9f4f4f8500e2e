package org.mcq.health.boundary;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.mcq.queues.boundary.Queues;
import org.mcq.queues.control.StorageException;

/**
 * UP when the database answers a query and the last write to it succeeded; DOWN while a shared
 * database is unreachable, so a load balancer sends clients to the servers that can serve them.
 */
@Readiness
@ApplicationScoped
public class StorageReadinessCheck implements HealthCheck {

    @EJB
    Queues queues;

    @Override
    public HealthCheckResponse call() {
        if (!queues.isStarted()) {
            return HealthCheckResponse.named("storage").down().withData("reason", "starting").build();
        }
        String failure = queues.storageFailure();
        if (failure != null) {
            return HealthCheckResponse.named("storage").down().withData("reason", failure).build();
        }
        long messages;
        try {
            queues.ping();
            messages = queues.depth();
        } catch (StorageException e) {
            return HealthCheckResponse.named("storage").down().withData("reason", e.getMessage()).build();
        }
        return HealthCheckResponse.named("storage").up()
                .withData("mode", queues.isSync() ? "sync" : "nosync")
                .withData("database", queues.isShared() ? "postgresql" : "derby")
                .withData("messages", messages).build();
    }
}
