package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The installable archive as the README installs it: unpacked with {@code unzip} into a fresh
 * directory outside the build tree, run by its systemd unit's own commands and environment (the
 * unit's paths moved under a temporary root: no systemd here), upgraded by unpacking it again over
 * a stopped server, its queues kept.
 */
class PackagedServerIT {

    private static final Path ARCHIVE = Path.of(System.getProperty("mcq.archive", "target/mcq.zip")).toAbsolutePath();
    private static final String SERVER = "wlp/usr/servers/mcq/";

    @Test
    void theArchiveCarriesTheServerAndNothingAServerMadeForItself() throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(ARCHIVE.toFile())) {
            zip.stream().map(ZipEntry::getName).forEach(names::add);
        }
        for (String needed : List.of("wlp/bin/server", SERVER + "server.xml", SERVER + "server.env", SERVER + "apps/mcq.ear",
                SERVER + "service/mcq-start", SERVER + "service/mcq.service")) {
            assertTrue(names.contains(needed), needed + " in " + ARCHIVE);
        }
        for (String name : names) {
            // secrets, logs, a database or Liberty's cache of one run would be every installation's
            assertFalse(name.matches(SERVER + "(resources|logs|workarea|data|tranlog)/.*|.*\\.pid|" + SERVER + "mcq\\.db"),
                    name + " is a server's own, not the installation's");
        }
    }

    @Test
    void installedStartedByItsUnitUpgradedInPlaceAndItsQueuesKept() throws Exception {
        Path root = Files.createTempDirectory("mcq-install-");
        Path opt = root.resolve("opt/mcq");
        Path state = root.resolve("var/lib/mcq");
        Files.createDirectories(opt);
        Files.createDirectories(state); // systemd's StateDirectory
        int port = LibertyServer.freePort();
        // the settings as the unit's comment says to give them
        Files.writeString(state.resolve("mcq.env"), "MCQ_PORT=" + port + "\nHTTP_PORT=" + LibertyServer.freePort()
                + "\nHTTPS_PORT=" + LibertyServer.freePort() + "\n");
        unpack(opt);
        Unit unit = Unit.read(opt.resolve(SERVER + "service/mcq.service"), Map.of("/opt/mcq", opt, "/var/lib/mcq", state));
        if (unit.user() != null) {
            // as systemd makes a StateDirectory: the user's own, in a tree it may enter
            assertEquals(0, Command.run(Map.of(), "chmod", "755", root.toString()).exit());
            assertEquals(0, Command.run(Map.of(), "chown", "-R", unit.user(), state.toString()).exit());
        }
        try {
            long pid = unit.start();
            try (MemcacheClient client = new MemcacheClient("127.0.0.1", port)) {
                for (int i = 0; i < 3; i++) {
                    assertEquals("STORED", client.set("jobs", "job " + i));
                }
                assertEquals("job 0", client.getText("jobs"));
            }
            unit.stop(pid);

            // the upgrade: the installation replaced by a fresh copy of the archive; /var/lib/mcq untouched
            delete(opt.resolve("wlp"));
            unpack(opt);
            pid = unit.start();
            try (MemcacheClient client = new MemcacheClient("127.0.0.1", port)) {
                assertEquals("job 1", client.getText("jobs"));
                assertEquals("job 2", client.getText("jobs"));
                assertNull(client.get("jobs"));
            }
            unit.stop(pid);
            assertTrue(Files.exists(state.resolve("data/service.properties")), "the queues' database is under the state directory");
            if (unit.user() != null) {
                assertEquals(unit.user(), Files.getOwner(state.resolve("data/service.properties")).getName(), "run as the unit's user");
            }
            assertFalse(Files.exists(opt.resolve(SERVER + "logs")), "the server writes nothing into its installation");
            assertFalse(Files.exists(opt.resolve(SERVER + "workarea")), "the server writes nothing into its installation");
        } finally {
            unit.kill(); // a no-op unless an assertion left it running
            delete(root);
        }
    }

    /**
     * The installation is root's and the service runs as a user of its own (the unit's User=mcq):
     * every file of the server must be readable by others, its directories enterable, mcq-start
     * runnable, and nothing writable but by its owner. Liberty makes a server's files its owner's and
     * group's only, which left the service unable to start.
     */
    @Test
    void everyFileOfTheServerIsReadableByTheServicesUserAndWritableByNoOther() throws Exception {
        Path opt = Files.createTempDirectory("mcq-modes-");
        try {
            unpack(opt);
            try (var files = Files.walk(opt.resolve(SERVER))) {
                for (Path path : files.toList()) {
                    Set<PosixFilePermission> modes = Files.getPosixFilePermissions(path);
                    assertTrue(modes.contains(PosixFilePermission.OTHERS_READ), path + " readable by others: " + modes);
                    if (Files.isDirectory(path)) {
                        assertTrue(modes.contains(PosixFilePermission.OTHERS_EXECUTE), path + " enterable by others: " + modes);
                    }
                    assertFalse(modes.contains(PosixFilePermission.OTHERS_WRITE) || modes.contains(PosixFilePermission.GROUP_WRITE),
                            path + " writable by its owner only: " + modes);
                }
            }
            assertTrue(Files.getPosixFilePermissions(opt.resolve(SERVER + "service/mcq-start"))
                    .contains(PosixFilePermission.OTHERS_EXECUTE), "mcq-start runnable by the service's user");
        } finally {
            delete(opt);
        }
    }

    private static void delete(Path tree) throws IOException {
        if (!Files.exists(tree)) {
            return;
        }
        try (var files = Files.walk(tree)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        assertFalse(Files.exists(tree), tree + " deleted");
    }

    /** The README's step: {@code unzip} keeps the scripts' modes. */
    private static void unpack(Path opt) throws IOException, InterruptedException {
        Command unzipped = Command.run(Map.of(), "unzip", "-q", ARCHIVE.toString(), "-d", opt.toString());
        assertEquals(0, unzipped.exit(), unzipped.output());
    }

    /**
     * What systemd would do for the unit: run its ExecStart with its Environment lines, as its User
     * when the test runs as root ({@code nobody} standing for {@code mcq}), else as this user; watch
     * the process its PIDFile names; stop it with its KillSignal (there is no ExecStop).
     */
    private record Unit(Map<String, String> environment, String execStart, String killSignal, Path pidFile, Path log,
                        String user) {

        static Unit read(Path file, Map<String, Path> moved) throws IOException {
            Map<String, String> environment = new HashMap<>();
            Map<String, String> lines = new HashMap<>();
            for (String line : Files.readAllLines(file)) {
                line = line.strip();
                if (line.startsWith("#") || !line.contains("=")) {
                    continue;
                }
                for (Map.Entry<String, Path> move : moved.entrySet()) {
                    line = line.replace(move.getKey(), move.getValue().toString());
                }
                String key = line.substring(0, line.indexOf('='));
                String value = line.substring(line.indexOf('=') + 1);
                if (key.equals("Environment")) {
                    environment.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=') + 1));
                } else {
                    lines.put(key, value);
                }
            }
            assertEquals("forking", lines.get("Type"), "mcq-start returns once the server serves, which runs on");
            // the JDK that runs the tests: su gives the user a PATH of its own
            environment.put("JAVA_HOME", System.getProperty("java.home"));
            String user = "root".equals(System.getProperty("user.name")) ? "nobody" : null;
            assertNull(lines.get("ExecStop"), "systemd's own stop, a signal, is the quicker one");
            String signal = lines.getOrDefault("KillSignal", "SIGTERM");
            return new Unit(environment, lines.get("ExecStart"), signal.substring("SIG".length()),
                    Path.of(lines.get("PIDFile")), Path.of(environment.get("WLP_OUTPUT_DIR"), "mcq/logs/messages.log"), user);
        }

        /** The command as systemd runs it: with the unit's environment, as its user. */
        Command run(String commandLine) throws IOException, InterruptedException {
            if (user == null) {
                return Command.run(environment, commandLine.split(" "));
            }
            StringBuilder line = new StringBuilder("env");
            environment.forEach((name, value) -> line.append(' ').append(name).append("='").append(value).append('\''));
            return Command.run(Map.of(), "su", "-s", "/bin/sh", user, "-c", line.append(' ').append(commandLine).toString());
        }

        /** Runs ExecStart, which returns once the server is ready; yields the pid systemd would watch. */
        long start() throws IOException, InterruptedException {
            Command started = run(execStart);
            assertEquals(0, started.exit(), started.output());
            assertTrue(started.output().contains("mcq-start: serving memcache on"), started.output());
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the PIDFile names the running server");
            return pid;
        }

        /** As {@code systemctl stop}: the KillSignal, then a wait for the process to end (TimeoutStopSec). */
        void stop(long pid) throws IOException, InterruptedException {
            Command signalled = Command.run(Map.of(), "kill", "-" + killSignal, Long.toString(pid));
            assertEquals(0, signalled.exit(), signalled.output());
            ProcessHandle.of(pid).ifPresent(process -> process.onExit().orTimeout(90, TimeUnit.SECONDS).join());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the server's process ended with the stop");
            String log = Files.readString(this.log);
            assertTrue(log.contains("mcq queues stopped; everything acknowledged is written"), "an orderly stop, said so: " + log);
        }

        /** As systemd at the end of TimeoutStopSec; only a Liberty server (a stop leaves the PIDFile behind). */
        void kill() throws IOException {
            if (Files.exists(pidFile)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()))
                        .filter(process -> process.info().commandLine().map(line -> line.contains("ws-server.jar")).orElse(false))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
