package org.mcq.queues.store.postgres;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mcq.queues.api.QueueService;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.api.Store;
import org.mcq.queues.api.StoreContext;
import org.mcq.queues.api.StoreSettings;

/**
 * A PostgreSQL database several servers share ({@code mcq.db=postgresql}): {@link PostgresQueues},
 * with the messages this server's own Derby database held, if it had one, carried over.
 */
public final class Postgres implements Store {

    private static final Logger LOG = Logger.getLogger(Postgres.class.getName());

    @Override
    public QueueService start(StoreContext context) throws StorageException {
        StoreSettings s = context.settings();
        String serverId = UUID.randomUUID().toString();
        // the housekeeping waits on the database: on the container's scheduler, never on the deadlines' timer
        PostgresQueues queues = PostgresQueues.start(context.writes(), context.threads(), context.executor(),
                context.scheduler(), context.timers(), new SharedSettings(serverId,
                        hostName() + ":" + s.port() + " (" + s.host() + ")", s.sync(), s.sharedWriters(),
                        s.openTimeoutSeconds() * 1000, s.takeoverSeconds() * 1000, s.expiry(), s.fanout(), context.limits()));
        DerbyCarryOver.Carried carried;
        try {
            carried = s.dataDir().isEmpty() ? null : DerbyCarryOver.carry(Path.of(s.dataDir()), context.writes());
        } catch (StorageException | RuntimeException e) {
            stop(queues); // must not serve while the start says it failed
            throw e;
        }
        queues.describe("the shared PostgreSQL database as server " + serverId + ", "
                + (s.sync() ? "sync" : "no-sync (asynchronous commit)") + " mode, " + s.sharedWriters() + " writers"
                + (carried == null ? "" : "; carried " + carried.messages() + " messages of " + carried.queues()
                        + " queues over from the Derby database now kept as " + carried.keptAs()));
        return queues;
    }

    private static void stop(PostgresQueues queues) {
        try {
            queues.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "stopping the queues that could not finish starting failed", e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
