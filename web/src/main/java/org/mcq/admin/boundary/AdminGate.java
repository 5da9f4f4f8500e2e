package org.mcq.admin.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Everything of this web application (the admin API and the dashboard) is for the role
 * {@code admin} (mapped in server.xml to {@code mcq.admin.user}), logged in by HTTP Basic through
 * Liberty's registry. Checked here rather than by a declarative constraint, so that a server whose
 * admin password was never set refuses with a message that says how to set one (503), where a
 * constraint could only answer 401. Health, metrics and the memcache port are not behind it.
 */
@WebFilter(urlPatterns = "/*")
public class AdminGate implements Filter {

    static final String ROLE = "admin";
    static final String NO_PASSWORD = "The admin API and dashboard are off: no admin password is set.\n"
            + "Set one in the environment (MCQ_ADMIN_PASSWORD=...) or as the server.xml variable"
            + " mcq.admin.password, then restart the server. Health (/health), metrics (/metrics) and the"
            + " memcache port work without it.\n";

    @Inject
    @ConfigProperty(name = "mcq.admin.password")
    Optional<String> password;

    /** The password's value until one is set (see server.xml). */
    @Inject
    @ConfigProperty(name = "mcq.admin.password.unset")
    Optional<String> unset;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (password.isEmpty() || password.get().isBlank() || password.equals(unset)) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write(NO_PASSWORD);
            return;
        }
        if (!request.authenticate(response)) {
            return; // the container answered 401 with its challenge
        }
        if (!request.isUserInRole(ROLE)) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "not an administrator");
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        if (isMissingFile(request)) {
            // answered here: Liberty's file servlet behind a filter records an FFDC incident for
            // every file not found (OpenLiberty issue 33079), which any scanner would fill the logs with
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        chain.doFilter(request, response);
    }

    /** A request for a file of the application (not the API, not the page at "/") that is not there. */
    private static boolean isMissingFile(HttpServletRequest request) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (path.isEmpty() || path.equals("/") || path.equals("/api") || path.startsWith("/api/")) {
            return false;
        }
        return request.getServletContext().getResource(path) == null;
    }
}
