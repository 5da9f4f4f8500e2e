package org.mcq.queues.boundary;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Logger;
import org.mcq.queues.api.QueueService;
import org.mcq.queues.api.StorageException;

/** A copy of the queues' database: where it is, and how long it took. */
public record Backup(String directory, String database, long tookMillis) {

    private static final Logger LOG = Logger.getLogger(Queues.class.getName()); // the bean's, as before

    /**
     * Copies {@code running}'s database into a new directory of {@code parent} named by the time (UTC).
     * The directory is made when a backup is asked, not at start: a wrong {@code mcq.backup.dir} fails
     * the backup, not the queues.
     */
    static Backup take(QueueService running, Path parent) throws StorageException, IOException {
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IOException("cannot make " + parent + " (" + e.getClass().getSimpleName() + "): set mcq.backup.dir "
                    + "to a directory this server's user may write", e);
        }
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path directory = null;
        for (int n = 1; directory == null; n++) { // made here, once: two backups in one second get one each
            try {
                directory = Files.createDirectory(parent.resolve(n == 1 ? stamp : stamp + "-" + n));
            } catch (FileAlreadyExistsException taken) {
                // the next name
            }
        }
        long began = System.nanoTime();
        Path database = running.backup(directory);
        long took = (System.nanoTime() - began) / 1_000_000;
        LOG.info("mcq queues backed up to " + database + " in " + took + " ms");
        return new Backup(directory.toString(), database.toString(), took);
    }
}
