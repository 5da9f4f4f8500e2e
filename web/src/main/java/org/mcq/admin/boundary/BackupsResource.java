package org.mcq.admin.boundary;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.boundary.Queues;

/**
 * Backups of the queues' own database (Derby's online backup), made while clients go on. Each is a
 * directory of {@code mcq.backup.dir}; the answer names the copy of the database, which is a data
 * directory to restore from: stop the server, put the copy in place of {@code mcq.data.dir} (or point
 * {@code MCQ_DATA_DIR} at a copy of it), start.
 */
@Path("/backups")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class BackupsResource {

    @EJB
    Queues queues;

    @POST
    public Response backup() {
        if (queues.isShared()) {
            return Response.status(Response.Status.CONFLICT).entity(new Problem("the queues are in a PostgreSQL database "
                    + "several servers share: back it up with PostgreSQL's own tools (pg_dump, pg_basebackup)")).build();
        }
        if (!queues.isStarted()) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity(new Problem("the queues are not running")).build();
        }
        try {
            return Response.status(Response.Status.CREATED).entity(queues.backup()).build();
        } catch (StorageException | IOException e) {
            return Response.serverError().entity(new Problem("backup failed: " + e.getMessage())).build();
        }
    }
}
