package org.mcq.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The real Liberty server with the real EAR, started from the build's installation in a private
 * user directory (its own configuration copy, database and logs) on free ports.
 */
public final class LibertyServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Path WLP = Path.of(System.getProperty("mcq.wlp.dir", "target/liberty/wlp"));
    private static final Path WORK = Path.of(System.getProperty("mcq.work.dir", "target/it-servers"));

    private final Path userDir;
    private final Map<String, String> environment = new HashMap<>();
    private int port;
    /** Whether the memcache port is one this class chose (not the test's), so it may choose another. */
    private final boolean ownPort;
    /** Whether it was ever ready: after that, its ports are the tests' to rely on. */
    private boolean wasReady;
    private int httpPort;
    private int httpsPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;

    /**
     * A setting, not passed to the server: each forced write under the server's directory takes this
     * many microseconds longer (see {@link SlowDisk}).
     */
    public static final String DISK_DELAY_US = "DISK_DELAY_US";

    /**
     * A setting, not passed to the server: {@code true} lets the server make its own HTTPS keystore and
     * LTPA keys at its first start, as every installation does. Other test servers start with copies
     * of the first ones a server made ({@link #KEYS}): Liberty takes over 2 s to make a certificate,
     * before the application starts, on every server's first start (OperatorSecurityIT tests the making).
     */
    public static final String OWN_KEYS = "OWN_KEYS";
    private static final Path KEYS = WORK.resolve("keys");
    private static final List<String> KEY_FILES = List.of("key.p12", "key.p12.password", "ltpa.keys", "ltpa.keys.password");
    /** Whether this server made its keys (none were given to it). */
    private final boolean makesKeys;

    private LibertyServer(String name, Map<String, String> settings) throws IOException {
        Files.createDirectories(WORK);
        userDir = Files.createTempDirectory(WORK, name + "-");
        Path template = WLP.resolve("usr/servers/mcq");
        Path server = userDir.resolve("servers/mcq");
        Files.createDirectories(server.resolve("apps"));
        for (String file : List.of("server.xml", "jvm.options", "bootstrap.properties", "server.env")) {
            if (Files.exists(template.resolve(file))) {
                Files.copy(template.resolve(file), server.resolve(file));
            }
        }
        Files.copy(template.resolve("apps/mcq.ear"), server.resolve("apps/mcq.ear"));
        for (String shared : List.of("derby", "postgresql", "db")) {
            Files.createSymbolicLink(server.resolve(shared), template.resolve(shared).toAbsolutePath());
        }
        // a port that is not a number is a test of the settings check; the server is given it as it is
        ownPort = !settings.containsKey("MCQ_PORT");
        port = settings.getOrDefault("MCQ_PORT", "").matches("[0-9]+") ? Integer.parseInt(settings.get("MCQ_PORT")) : freePort();
        httpPort = freePort();
        environment.put("WLP_USER_DIR", userDir.toAbsolutePath().toString());
        // its data and settings file, which server.env would otherwise put in ~/.mcq/mcq, shared by every
        // test server; under the server's directory, where a slow disk (DISK_DELAY_US) slows them
        environment.put("MCQ_HOME", server.resolve("home").toAbsolutePath().toString());
        environment.put("MCQ_PORT", Integer.toString(port));
        environment.put("HTTP_PORT", Integer.toString(httpPort));
        httpsPort = freePort();
        environment.put("HTTPS_PORT", Integer.toString(httpsPort));
        environment.putAll(settings);
        String delay = environment.remove(DISK_DELAY_US);
        if (delay != null && Long.parseLong(delay) > 0) {
            environment.putAll(SlowDisk.environment(server, Long.parseLong(delay)));
        }
        makesKeys = "true".equals(environment.remove(OWN_KEYS)) || !giveKeys(server.resolve("resources/security"));
    }

    /** Copies the keys a server made before into {@code security}, as server.env keeps them; false if there are none yet. */
    private static boolean giveKeys(Path security) throws IOException {
        if (!Files.isDirectory(KEYS)) {
            return false;
        }
        Files.createDirectories(security);
        Files.setPosixFilePermissions(security, PosixFilePermissions.fromString("rwx------"));
        for (String file : KEY_FILES) {
            Files.copy(KEYS.resolve(file), security.resolve(file));
            Files.setPosixFilePermissions(security.resolve(file), PosixFilePermissions.fromString("rw-------"));
        }
        return true;
    }

    /** Keeps the keys this server made, once it is ready, for the servers after it (see {@link #OWN_KEYS}). */
    private void keepKeys() throws IOException {
        Path security = serverDir().resolve("resources/security");
        if (!makesKeys || Files.isDirectory(KEYS) || !KEY_FILES.stream().allMatch(file -> Files.exists(security.resolve(file)))) {
            return;
        }
        Path copy = Files.createTempDirectory(WORK, "keys-");
        for (String file : KEY_FILES) {
            Files.copy(security.resolve(file), copy.resolve(file));
        }
        try {
            Files.move(copy, KEYS, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException taken) {
            // another server kept its keys first: those serve
        }
    }

    /** Starts a server and waits until it reports ready. */
    public static LibertyServer start(String name, Map<String, String> settings) throws IOException {
        LibertyServer server = new LibertyServer(name, settings);
        server.launch();
        try {
            server.awaitReady();
            server.keepKeys();
        } catch (RuntimeException e) {
            // nobody holds it to close it: a server that never got ready must not run on beside the next tests
            try {
                server.kill();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
        return server;
    }

    /** Starts a server without waiting for readiness (for tests of a server that must not get ready). */
    public static LibertyServer launch(String name, Map<String, String> settings) throws IOException {
        LibertyServer server = new LibertyServer(name, settings);
        server.launch();
        return server;
    }

    /** A server's own directory and settings, not started: for tests that start it another way. */
    public static LibertyServer prepare(String name, Map<String, String> settings) throws IOException {
        return new LibertyServer(name, settings);
    }

    /** Settings for its next start, as an operator changes them between a stop and a start. */
    public void change(Map<String, String> settings) {
        environment.putAll(settings);
    }

    /** What the server is started with: its user directory, ports and settings. */
    public Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    /** The Liberty installation the servers run from. */
    public static Path wlp() {
        return WLP.toAbsolutePath();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private void launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(WLP.resolve("bin/server").toAbsolutePath().toString(), "run", "mcq");
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(userDir.resolve("console.log").toFile()));
        process = builder.start();
    }

    /** Polls the readiness endpoint until UP; fails fast if the server process dies. */
    public void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + consoleTail());
            }
            if (health("ready") == 200) {
                wasReady = true;
                return;
            }
            boolean memcachePortTaken = ownPort && !wasReady && memcachePortTaken();
            if (httpPortTaken() || memcachePortTaken) {
                // a free port found earlier was taken meanwhile (another server, a client's ephemeral
                // port): the server stays up without it, so it starts again on fresh ports
                relaunchOnFreshPorts(memcachePortTaken);
                continue;
            }
            pause(250);
        }
        throw new IllegalStateException("server not ready after " + START_TIMEOUT + ":\n" + consoleTail());
    }

    private void relaunchOnFreshPorts(boolean memcachePortToo) {
        try {
            kill();
            Path log = userDir.resolve("servers/mcq/logs/messages.log");
            Files.move(log, log.resolveSibling("messages-port-taken.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            if (memcachePortToo) {
                port = freePort();
                environment.put("MCQ_PORT", Integer.toString(port));
            }
            httpPort = freePort();
            httpsPort = freePort();
            environment.put("HTTP_PORT", Integer.toString(httpPort));
            environment.put("HTTPS_PORT", Integer.toString(httpsPort));
            launch();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** HTTP status of {@code /health/<probe>} ({@code probe} may be empty), or -1 if unreachable. */
    public int health(String probe) {
        try {
            return http.send(request(probe), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public String healthBody(String probe) throws IOException, InterruptedException {
        return http.send(request(probe), HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpRequest request(String probe) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/" + probe))
                .timeout(Duration.ofSeconds(10)).build();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP to the server's JVM: it stops where it is, its sockets open (a long pause, as a stalled machine). */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(jvm().pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " failed");
        }
    }

    private ProcessHandle jvm() {
        return process.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElse(process.toHandle());
    }

    /** SIGTERM: Liberty stops its applications gracefully. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** Starts the same server again (same configuration, database and ports). */
    public void restart() throws IOException, InterruptedException {
        stop();
        launch();
        awaitReady();
    }

    private boolean memcachePortTaken() {
        try {
            return messagesLog().contains("cannot listen on 127.0.0.1:" + port + ": Address already in use");
        } catch (IOException e) {
            return false; // no log yet
        }
    }

    private boolean httpPortTaken() {
        try {
            return messagesLog().contains("CWWKO0221E");
        } catch (IOException e) {
            return false; // no log yet
        }
    }

    /** Starts it again after a crash or stop, without stopping first. */
    public void startAgain() throws IOException {
        launch();
        awaitReady();
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public int httpPort() {
        return httpPort;
    }

    public int httpsPort() {
        return httpsPort;
    }

    /**
     * A client for the HTTPS port that trusts only the certificates in {@code trusted}. It speaks
     * HTTP/1.1: over TLS the JDK's client negotiates HTTP/2 and keeps that connection open after its
     * requests (Java 17's client has no close; the connection goes when the client is
     * garbage-collected), and a server stopped while one is open waits out Liberty's whole 30 s
     * quiesce in the HTTP endpoint's pause (HttpChain.stop). An HTTP/1.1 connection does not hold it.
     */
    public static HttpClient httpsClient(KeyStore trusted) throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The server's own directory (configuration, logs, resources/security). */
    public Path serverDir() {
        return userDir.resolve("servers/mcq");
    }

    /** The server's own files of resources/security: the keystore, and the passwords server.env made at its first start. */
    public Path security(String file) {
        return serverDir().resolve("resources/security").resolve(file);
    }

    /** Resident set size of the server's JVM, in MiB (from /proc). */
    public long rssMiB() throws IOException {
        return jvmStatus("VmRSS:") / 1024;
    }

    /** Threads of the server's JVM now (from /proc). */
    public long threads() throws IOException {
        return jvmStatus("Threads:");
    }

    /** Bytes of the live objects on the server JVM's heap, after a full collection, in MiB. */
    public long liveHeapMiB() throws IOException, InterruptedException {
        return liveHistogram().values().stream().mapToLong(row -> row[1]).sum() >> 20;
    }

    /**
     * The server JVM's live objects by class after a full collection ({@code jcmd GC.class_histogram}):
     * {instances, bytes} by class name.
     */
    public Map<String, long[]> liveHistogram() throws IOException, InterruptedException {
        Map<String, long[]> classes = new java.util.HashMap<>();
        Matcher row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE)
                .matcher(jcmd("GC.class_histogram"));
        while (row.find()) {
            classes.merge(row.group(3), new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))},
                    (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        }
        return classes;
    }

    /** Live instances of the class (by its full name) on the server JVM's heap, after a full collection. */
    public long liveInstances(String className) throws IOException, InterruptedException {
        long[] row = liveHistogram().get(className);
        return row == null ? 0 : row[0];
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process run = new ProcessBuilder(jcmd.toString(), Long.toString(jvm().pid()), command)
                .redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!run.waitFor(60, TimeUnit.SECONDS) || run.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + output);
        }
        return output;
    }

    /** A number from the server JVM's /proc status, by its field name. */
    private long jvmStatus(String field) throws IOException {
        ProcessHandle jvm = jvm();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(jvm.pid()), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no " + field + " for " + jvm.pid());
    }

    /** The server's messages.log as it stands. */
    public String messagesLog() throws IOException {
        Path log = userDir.resolve("servers/mcq/logs/messages.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public MemcacheClient client() throws IOException {
        return new MemcacheClient("127.0.0.1", port);
    }

    /** All the server script and the server wrote to the console, across its starts. */
    public String console() throws IOException {
        return Files.readString(userDir.resolve("console.log"));
    }

    public String consoleTail() {
        try {
            List<String> lines = Files.readAllLines(userDir.resolve("console.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no console log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // between polls of an observable condition, not instead of one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
