package org.mcq.admin.boundary;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.mcq.imports.boundary.Imports;
import org.mcq.imports.control.ImportJob;

/**
 * Imports from a running memcache-protocol queue server (MemcacheQ, Kestrel, Darner, another mcq):
 * {@code POST /api/imports} with {@code {"source": "host:port", "queues": ["jobs", …]}} (no queues:
 * all of them) starts one; {@code GET /api/imports[/id]} shows how far each got.
 */
@Path("/imports")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ImportsResource {

    /** What {@code POST} takes. */
    public static class Request {
        public String source;
        public List<String> queues;
    }

    private static final int MAX_QUEUES = 10_000;

    @EJB
    Imports imports;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(Request request) {
        String source = request == null || request.source == null ? "" : request.source.strip();
        int colon = source.lastIndexOf(':');
        int port;
        try {
            port = colon > 0 ? Integer.parseInt(source.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535 || colon == 0) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(new Problem("source must be host:port, the source server's memcache address")).build();
        }
        List<String> queues = request.queues == null ? List.of() : request.queues.stream()
                .filter(java.util.Objects::nonNull).map(String::strip).filter(name -> !name.isEmpty()).toList();
        if (queues.size() > MAX_QUEUES) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(new Problem("at most " + MAX_QUEUES + " queues named: name none to import every queue")).build();
        }
        // as the memcache protocol carries names: a byte a character, no space or control character
        if (queues.stream().anyMatch(name -> name.length() > 250 || name.chars().anyMatch(c -> c <= ' ' || c == 127 || c > 0xFF))) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(new Problem("a queue name is at most 250 bytes, without spaces or control characters")).build();
        }
        ImportJob job;
        try {
            job = imports.start(source.substring(0, colon), port, queues);
        } catch (IllegalStateException e) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity(new Problem(e.getMessage())).build();
        }
        if (job == null) {
            return Response.status(Response.Status.CONFLICT)
                    .entity(new Problem("an import is running: one at a time, so a queue's messages keep their order")).build();
        }
        return Response.accepted(ImportView.of(job)).location(URI.create("imports/" + job.id())).build();
    }

    @GET
    public List<ImportView> all() {
        return imports.all().stream().map(ImportView::of).toList();
    }

    @GET
    @Path("{id}")
    public Response one(@PathParam("id") long id) {
        ImportJob job = imports.get(id);
        return job == null ? Response.status(Response.Status.NOT_FOUND).entity(new Problem("no import " + id)).build()
                : Response.ok(ImportView.of(job)).build();
    }
}
