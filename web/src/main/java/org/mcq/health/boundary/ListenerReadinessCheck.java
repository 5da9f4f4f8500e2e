package org.mcq.health.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * UP only when the memcache port accepts a connection and answers {@code version}: that proves the
 * listener is open and the message-driven bean behind it is activated and delivering.
 */
@Readiness
@ApplicationScoped
public class ListenerReadinessCheck implements HealthCheck {

    private static final int TIMEOUT_MILLIS = 2000;

    @Inject
    @ConfigProperty(name = "mcq.host")
    String host;

    @Inject
    @ConfigProperty(name = "mcq.port")
    int port;

    @Override
    public HealthCheckResponse call() {
        String target = probeHost() + ":" + port;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(probeHost(), port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write("version\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readLine(socket.getInputStream());
            boolean up = answer.startsWith("VERSION ");
            return HealthCheckResponse.named("memcache-listener").status(up)
                    .withData("address", target).withData("answer", answer).build();
        } catch (IOException e) {
            return HealthCheckResponse.named("memcache-listener").down()
                    .withData("address", target).withData("error", String.valueOf(e.getMessage())).build();
        }
    }

    /** A wildcard bind address is probed on loopback. */
    private String probeHost() {
        return "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n' && line.length() < 256) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
