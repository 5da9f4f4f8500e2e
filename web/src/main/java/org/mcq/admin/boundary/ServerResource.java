package org.mcq.admin.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.metrics.Snapshot;
import org.mcq.listener.ListenerState;
import org.mcq.memcache.control.Statistics;
import org.mcq.metrics.boundary.ServerMetrics;
import org.mcq.protocol.Verb;
import org.mcq.queues.api.QueueTotals;
import org.mcq.queues.boundary.Queues;

/** The server's figures for the dashboard. */
@Path("/server")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ServerResource {

    private static final long TOTALS_TIMEOUT_SECONDS = 30;

    @EJB
    Queues queues;

    @Inject
    Statistics statistics;

    @Inject
    ServerMetrics metrics;

    @Resource(lookup = "mcq/listener")
    ListenerState transport;

    /** Waits for the queues' totals (a shared store asks its database for them on another thread). */
    @GET
    public ServerView server() throws InterruptedException, ExecutionException, TimeoutException {
        QueueTotals totals = queues.operations().totals().get(TOTALS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<String, Long> commands = new LinkedHashMap<>();
        for (Verb verb : Verb.values()) {
            long count = statistics.commands(verb);
            if (count > 0) {
                commands.put(verb.wireName(), count);
            }
        }
        Snapshot commit = metrics.commitDuration().getSnapshot();
        Snapshot forced = metrics.forcedWriteDuration().getSnapshot();
        return new ServerView(System.currentTimeMillis(), totals.startedAtMillis(), totals.sync(), totals.queues(),
                totals.messages(), transport.currentConnections(), transport.clientMemoryUsed(), commands,
                totals.batches(), totals.committedOps(), totals.failedWrites(), millis(commit, 0.5), millis(commit, 0.99),
                millis(forced, 0.5), millis(forced, 0.99));
    }

    /** A percentile of a timer's recent values, in ms; 0 before any. */
    private static double millis(Snapshot snapshot, double quantile) {
        for (Snapshot.PercentileValue value : snapshot.percentileValues()) {
            if (Math.abs(value.getPercentile() - quantile) < 1e-9) {
                return value.getValue() / 1_000_000.0;
            }
        }
        return 0;
    }
}
