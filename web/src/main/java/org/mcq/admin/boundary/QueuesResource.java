package org.mcq.admin.boundary;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.QueueReport;
import org.mcq.queues.boundary.MessageBrowser;
import org.mcq.queues.boundary.Queues;

/**
 * The queues: listed, looked into, purged, deleted. Figures come from the queue service; messages
 * are read through JPA ({@link MessageBrowser}); changes go through the queue service, the route
 * memcache commands take, so clients and the in-memory index see them at once. A name is one
 * path segment, URL-encoded ({@code a%2Fb} for {@code a/b}).
 */
@Path("/queues")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class QueuesResource {

    static final int MAX_MESSAGES = 100;
    private static final long TIMEOUT_SECONDS = 30;

    @EJB
    Queues queues;

    @EJB
    MessageBrowser browser;

    /**
     * Queues by name, all of them unless {@code search} keeps those whose name contains it (ignoring
     * case) or {@code offset} and {@code limit} page them. The header {@code X-Total-Count} gives how
     * many matched.
     */
    @GET
    public Response list(@QueryParam("search") @DefaultValue("") String search,
                         @QueryParam("offset") @DefaultValue("0") int offset,
                         @QueryParam("limit") @DefaultValue("2147483647") int limit) throws Exception {
        String needle = search.toLowerCase(Locale.ROOT);
        long from = Math.max(0, offset);
        long to = from + Math.max(0, limit);
        // read page by page, only the asked-for window kept: there may be millions of queues
        List<QueueView> window = new ArrayList<>();
        long matching = 0;
        QueueReport report = operations().report(List.of());
        for (List<QueueDump> page = await(report.next()); !page.isEmpty(); page = await(report.next())) {
            for (QueueDump dump : page) {
                if (needle.isEmpty() || dump.name().toLowerCase(Locale.ROOT).contains(needle)) {
                    if (matching >= from && matching < to) {
                        window.add(QueueView.of(dump));
                    }
                    matching++;
                }
            }
        }
        return Response.ok(window).header("X-Total-Count", matching).build();
    }

    @GET
    @Path("{name}")
    public Response queue(@PathParam("name") String name) throws Exception {
        return find(name).map(dump -> Response.ok(QueueView.of(dump))).orElseGet(() -> missing(name)).build();
    }

    /** The first {@code limit} waiting messages (at most 100), left in the queue. */
    @GET
    @Path("{name}/messages")
    public Response messages(@PathParam("name") String name, @QueryParam("limit") @DefaultValue("10") int limit)
            throws Exception {
        if (find(name).isEmpty()) {
            return missing(name).build();
        }
        return Response.ok(browser.first(name, Math.max(0, Math.min(limit, MAX_MESSAGES))).stream()
                .map(MessageView::of).toList()).build();
    }

    /** Removes every message of the queue (open reads too, as Kestrel's {@code flush}); the queue stays. */
    @DELETE
    @Path("{name}/messages")
    public Response purge(@PathParam("name") String name) throws Exception {
        if (find(name).isEmpty()) {
            return missing(name).build();
        }
        await(operations().flush(name));
        return Response.noContent().build();
    }

    /** Drops the queue with its messages and counters. */
    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) throws Exception {
        return await(operations().delete(name)) ? Response.noContent().build() : missing(name).build();
    }

    private Optional<QueueDump> find(String name) throws Exception {
        return await(operations().dump(List.of(name))).stream().findFirst();
    }

    private static Response.ResponseBuilder missing(String name) {
        return Response.status(Response.Status.NOT_FOUND).entity(new Problem("no queue " + name));
    }

    private QueueOperations operations() {
        return queues.operations();
    }

    /**
     * A change is answered once it is done (in sync mode, on disk); a report once the queues have
     * answered (a shared store asks its database on another thread, while this request waits).
     */
    private static <T> T await(CompletableFuture<T> operation)
            throws InterruptedException, ExecutionException, TimeoutException {
        return operation.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
