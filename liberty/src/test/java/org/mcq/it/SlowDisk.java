package org.mcq.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A slow disk for a server under test: the slowdisk library (built here with gcc when missing or
 * older than its source) preloaded into the server's JVM makes every forced write under the
 * server's directory take a given time longer, so timing assumptions are tested against a disk
 * slower than the machine's.
 */
final class SlowDisk {

    private static final Path SOURCE = Path.of(System.getProperty("mcq.slowdisk.source", "../slowdisk/slowdisk.c"));
    private static final Path LIBRARY = Path.of(System.getProperty("mcq.work.dir", "target/it-servers"))
            .resolve("libslowdisk.so");

    private SlowDisk() {
    }

    /** The environment that slows forced writes under {@code dir} by {@code delayMicros}. */
    static synchronized Map<String, String> environment(Path dir, long delayMicros) throws IOException {
        if (!Files.exists(LIBRARY)
                || Files.getLastModifiedTime(SOURCE).compareTo(Files.getLastModifiedTime(LIBRARY)) > 0) {
            build();
        }
        return Map.of("LD_PRELOAD", LIBRARY.toAbsolutePath().toString(),
                "SLOWDISK_DIR", dir.toAbsolutePath().toString(),
                "SLOWDISK_DELAY_US", Long.toString(delayMicros));
    }

    private static void build() throws IOException {
        Files.createDirectories(LIBRARY.getParent());
        Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O2", "-o", LIBRARY.toAbsolutePath().toString(),
                SOURCE.toAbsolutePath().toString(), "-ldl").redirectErrorStream(true).start();
        try {
            String output = new String(gcc.getInputStream().readAllBytes());
            if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                throw new IOException("building the slow-disk library failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the slow-disk library", e);
        }
    }
}
