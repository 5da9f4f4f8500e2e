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
 * or a listener that could not be opened. None of these mends itself: the server stays up only so
 * that this can be read (and the one log line that says the same). A memcache port another program
 * holds is not one of them: the listener tries it again until it is free, which a restart would not
 * hasten, so this stays UP and readiness says why the port is not ours.
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
        if (queues.isStarted() && listener.boundAddress() == null && listener.failure() != null
                && !listener.waitsForAddress()) {
            return HealthCheckResponse.named("start").down().withData("reason", listener.failure()).build();
        }
        return HealthCheckResponse.named("start").up().build();
    }
}
