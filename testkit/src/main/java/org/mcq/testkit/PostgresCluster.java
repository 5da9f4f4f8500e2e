package org.mcq.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for one test class, from Debian's packages: initdb in a temporary
 * directory, the server on a free loopback port, run as the {@code postgres} user when the tests
 * run as root (PostgreSQL refuses root). fsync stays on, as in production.
 */
public final class PostgresCluster implements AutoCloseable {

    private static final String DATABASE = "mcq";

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean root;

    /** Server settings beyond this class's own, as {@code name=value}. */
    private final List<String> settings;

    private PostgresCluster(List<String> settings, boolean withDatabase) throws IOException, InterruptedException {
        this.settings = settings;
        bin = binaries();
        root = "root".equals(System.getProperty("user.name"));
        // under /tmp: the build directory's parents may be closed to the postgres user
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "mcq-pg-");
        if (root) {
            run(List.of("chown", "postgres", dir.toString()), false);
        }
        port = freePort();
        run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--no-sync"), true);
        start();
        if (withDatabase) {
            run(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres",
                    "-c", "CREATE DATABASE " + DATABASE), true);
        }
    }

    public static PostgresCluster create() throws IOException, InterruptedException {
        return new PostgresCluster(List.of(), true);
    }

    /** A fresh cluster with no database of mcq's: for tests that make it as an operator would. */
    public static PostgresCluster empty() throws IOException, InterruptedException {
        return new PostgresCluster(List.of(), false);
    }

    /**
     * Runs a shell command line as the operating system's postgres user (as {@code sudo -u postgres}
     * would), with PGHOST, PGPORT and PGUSER naming this cluster and its superuser; its output.
     */
    public String asPostgres(String commandLine) throws IOException, InterruptedException {
        return run(List.of("env", "PGHOST=127.0.0.1", "PGPORT=" + port, "PATH=" + bin + ":" + System.getenv("PATH"),
                "PGUSER=postgres", "sh", "-c", commandLine), true);
    }

    public int port() {
        return port;
    }

    /** A cluster whose server runs with these settings too ({@code shared_preload_libraries=pg_stat_statements}). */
    public static PostgresCluster create(String... settings) throws IOException, InterruptedException {
        return new PostgresCluster(List.of(settings), true);
    }

    private static Path binaries() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.max(Comparator.comparing(p -> Integer.parseInt(p.getFileName().toString())))
                    .map(p -> p.resolve("bin")).orElseThrow(() -> new IOException("no PostgreSQL under /usr/lib/postgresql"));
        }
    }

    /** Starts (again) the cluster's server and waits until it accepts connections. */
    public void start() throws IOException, InterruptedException {
        StringBuilder options = new StringBuilder("-p " + port + " -k " + dir
                + " -c listen_addresses=127.0.0.1 -c max_connections=200");
        settings.forEach(setting -> options.append(" -c ").append(setting));
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-o", options.toString(), "start"), true);
    }

    /** Stops the server at once, as a crash would (clients see their connections fail). */
    public void stop() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
                "stop"), true);
    }

    /** What a server needs to share this database. */
    public Map<String, String> settings() {
        return Map.of("MCQ_DB", "postgresql", "MCQ_DB_HOST", "127.0.0.1", "MCQ_DB_PORT", Integer.toString(port),
                "MCQ_DB_NAME", DATABASE, "MCQ_DB_USER", "postgres");
    }

    /** One value from SQL run by psql. */
    public String query(String sql) throws IOException, InterruptedException {
        return run(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U",
                "postgres", "-d", DATABASE, "-tAc", sql), true).strip();
    }

    /** A JDBC URL of the database, for the superuser (trust authentication on loopback). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?user=postgres";
    }

    /** A free TCP port on loopback now (the caller binds it soon after). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private String run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres && root) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stop();
        } catch (IOException alreadyStopped) {
            // nothing to stop
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
