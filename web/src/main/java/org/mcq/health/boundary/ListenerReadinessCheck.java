package org.mcq.health.boundary;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.mcq.listener.ListenerState;

/**
 * UP only while our own listener holds the memcache port, as the resource adapter tells it: a probe
 * of the port would be answered by any memcache server there (memcached left running while it is
 * replaced, whose answers keep nothing). DOWN names why not: another program holds the port, a
 * listener setting is wrong, or the queues could not start.
 */
@Readiness
@ApplicationScoped
public class ListenerReadinessCheck implements HealthCheck {

    @Resource(lookup = "mcq/listener")
    ListenerState listener;

    @Override
    public HealthCheckResponse call() {
        String address = listener.boundAddress();
        if (address != null) {
            return HealthCheckResponse.named("memcache-listener").up().withData("address", address).build();
        }
        String failure = listener.failure();
        return HealthCheckResponse.named("memcache-listener").down()
                .withData("reason", failure == null ? "not listening yet" : failure).build();
    }
}
