package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's way to run the server as an unprivileged user: the installation readable by all, the
 * server's directory owned by the user (Liberty writes its logs and workarea there), started with
 * {@code su -s /bin/sh nobody -c '…'}, here through {@code bin/mcq-start}, which returns once it
 * serves; a setting added to {@code server.env} the README's way ({@code echo … >>}) takes effect
 * (the file ends with a newline, so it is not joined to the line before); the data belongs to that
 * user. Needs root to switch users (CI runs as root).
 */
class UnprivilegedUserIT {

    private static final String USER = "nobody";

    @Test
    void nobodyStartsServesAndStopsTheServer() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "switching users needs root");
        // outside the build tree, whose parents may be closed to other users: the installation
        // hard-linked where it can be (it is only read), the server's own directory copied
        Path root = Files.createTempDirectory(Path.of("/tmp"), "mcq-unprivileged-");
        Path wlp = root.resolve("wlp");
        try {
            run(List.of("chmod", "755", root.toString()));
            Path built = LibertyServer.wlp();
            Files.createDirectories(wlp);
            for (String part : List.of("bin", "lib", "dev", "templates")) {
                if (run(List.of("cp", "-al", built.resolve(part).toString(), wlp.toString())) != 0) {
                    assertEquals(0, run(List.of("cp", "-a", built.resolve(part).toString(), wlp.toString())));
                }
            }
            Path server = wlp.resolve("usr/servers/mcq");
            Files.createDirectories(server.getParent());
            assertEquals(0, run(List.of("cp", "-rL", built.resolve("usr/servers/mcq").toString(), server.toString())));
            for (String made : List.of("logs", "workarea", "resources", "apps/expanded", "data", "home")) {
                run(List.of("rm", "-rf", server.resolve(made).toString())); // what the build's own runs left
            }
            Path script = Files.createDirectories(root.resolve("bin")).resolve("mcq-start");
            Files.copy(Path.of("../bin/mcq-start"), script);
            run(List.of("chmod", "-R", "a+rX", wlp.toString(), script.getParent().toString()));
            assertEquals(0, run(List.of("chown", "-R", USER, wlp.resolve("usr").toString())));

            int port = LibertyServer.freePort();
            int http = LibertyServer.freePort();
            String environment = "JAVA_HOME=" + System.getProperty("java.home") + " MCQ_PORT=" + port + " HTTP_PORT=" + http
                    + " HTTPS_PORT=" + LibertyServer.freePort() + " MCQ_HOME=" + server.resolve("home") + " WLP_DIR=" + wlp;
            assertEquals(0, su("echo 'MCQ_SYNC=false' >> " + server.resolve("server.env")), "a setting added as " + USER);
            assertEquals(0, su(environment + " " + script), "started as " + USER + " by mcq-start, which returned once it served");
            try {
                HttpClient client = HttpClient.newHttpClient();
                HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
                        + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("\"mode\":\"nosync\""), "MCQ_SYNC=false from server.env: " + ready.body());
                try (MemcacheClient memcache = new MemcacheClient("127.0.0.1", port)) {
                    assertEquals("STORED", memcache.set("unprivileged", "works"));
                    assertEquals("works", memcache.getText("unprivileged"));
                }
                String owner = Files.getOwner(server.resolve("home/data/service.properties")).getName();
                assertEquals(USER, owner, "the data belongs to the server's user");
            } finally {
                su(environment + " " + wlp.resolve("bin/server") + " stop mcq");
            }
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** As the README: {@code su -s /bin/sh nobody -c '…'}. */
    private static int su(String commandLine) throws IOException, InterruptedException {
        return run(List.of("su", "-s", "/bin/sh", USER, "-c", commandLine));
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("mcq-command-", ".out");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("still running after 300 s: " + command + "\n" + Files.readString(output));
            }
            if (process.exitValue() != 0) {
                System.out.println(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + Files.readString(output));
            }
            return process.exitValue();
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
