package org.mcq.health.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.mcq.listener.ListenerState;
import org.mcq.queues.boundary.Queues;

/**
 * DOWN, naming the cause, when the start failed: a wrong setting, a database the queues cannot use,
 * or a memcache port the listener could not take. The first two do not mend themselves: the server
 * stays up only so that this can be read (and the one log line that says the same). The port is
 * tried again every 2 s, and this check is UP again once the listener holds it.
 */
@Liveness
@ApplicationScoped
public class StartLivenessCheck implements HealthCheck {

    @EJB
    Queues queues;

    @Resource(lookup = "mcq/listener")
    ListenerState listener;

    @Override
    public HealthCheckResponse call() {
        String failure = queues.startFailure();
        if (failure != null) {
            return HealthCheckResponse.named("start").down().withData("reason", "mcq cannot start, " + failure).build();
        }
        if (queues.isStarted() && listener.boundAddress() == null && listener.failure() != null) {
            return HealthCheckResponse.named("start").down().withData("reason", listener.failure()).build();
        }
        return HealthCheckResponse.named("start").up().build();
    }
}
