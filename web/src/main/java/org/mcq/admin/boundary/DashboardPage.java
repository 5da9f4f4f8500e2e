package org.mcq.admin.boundary;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * The dashboard's page at the application's root, written directly: Liberty's welcome-file
 * forward never answers a request that upgrades to HTTP/2 in clear text (as Java's HttpClient does
 * by default), so "/" does not rely on it.
 */
@WebServlet("")
public class DashboardPage extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/html;charset=UTF-8");
        try (InputStream page = getServletContext().getResourceAsStream("/index.html")) {
            page.transferTo(response.getOutputStream());
        }
    }
}
