package org.mcq.admin.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The admin API, under {@code /api}, behind {@link AdminGate}. */
@ApplicationPath("/api")
public class AdminApi extends Application {
}
