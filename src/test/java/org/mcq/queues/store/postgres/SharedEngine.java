package org.mcq.queues.store.postgres;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import javax.sql.DataSource;
import org.mcq.memcache.control.InProcessLink;
import org.mcq.memcache.control.MemcacheCommands;
import org.mcq.memcache.control.Statistics;
import org.mcq.model.Link;
import org.mcq.model.Target;
import org.mcq.queues.rules.QueueLimits;
import org.mcq.testkit.PostgresCluster;

/**
 * Several servers of the shared store ({@link PostgresQueues}: lanes, leases, signals, housekeeping)
 * in this JVM, on one real PostgreSQL database, with the real command handling in front; no Liberty.
 * A crash stops a server's threads without giving anything back; the others take its open reads
 * over once its heartbeat is {@link #TAKEOVER_MILLIS} old.
 */
final class SharedEngine implements Target {

    /** Past the one-second heartbeat with room to spare: a silence of three quarters of it counts (see Housekeeping). */
    static final long TAKEOVER_MILLIS = 2_500;
    /** The shipped {@code mcq.max.wait.ms}. */
    static final long MAX_WAIT_MILLIS = 60_000;

    /** One database for a test class, its tables made by EclipseLink from the entities. */
    static final class Database implements AutoCloseable {
        final PostgresCluster cluster;
        final DataSource source;
        private final EntityManagerFactory jpa;

        @SuppressWarnings("deprecation") // a plain pool is all a test needs; the server uses Liberty's
        Database() throws Exception {
            cluster = PostgresCluster.create();
            jpa = Persistence.createEntityManagerFactory("mcq-component", Map.of(
                    "jakarta.persistence.jdbc.url", cluster.jdbcUrl(),
                    "jakarta.persistence.jdbc.driver", "org.postgresql.Driver"));
            jpa.createEntityManager().close();
            org.postgresql.ds.PGPoolingDataSource pool = new org.postgresql.ds.PGPoolingDataSource();
            pool.setUrl(cluster.jdbcUrl());
            pool.setMaxConnections(60);
            source = pool;
        }

        /** Empties the tables, as a new database would be. */
        void clear() throws SQLException {
            try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                s.executeUpdate("DELETE FROM MESSAGES");
                s.executeUpdate("DELETE FROM QUEUES");
                s.executeUpdate("DELETE FROM SERVERS");
            }
        }

        @Override
        public void close() throws Exception {
            jpa.close();
            cluster.close(); // its connections go with it
        }
    }

    private final Database database;
    private final boolean sync;
    private final int maxOpenReads;
    private final PostgresQueues[] servers;
    private final Function<String, QueueLimits> limits;
    private final boolean expiry;
    private final ExecutorService executor;
    private final ScheduledExecutorService scheduler;
    private final ThreadFactory threads = runnable -> {
        Thread thread = new Thread(runnable);
        thread.setDaemon(true);
        return thread;
    };

    SharedEngine(Database database, int servers, boolean sync, int maxOpenReads) throws Exception {
        this(database, servers, sync, maxOpenReads, name -> QueueLimits.NONE);
    }

    SharedEngine(Database database, int servers, boolean sync, int maxOpenReads, Function<String, QueueLimits> limits)
            throws Exception {
        this(database, servers, sync, maxOpenReads, limits, false);
    }

    /** @param expiry whether a {@code set}'s exptime is honoured */
    SharedEngine(Database database, int servers, boolean sync, int maxOpenReads, Function<String, QueueLimits> limits,
                 boolean expiry) throws Exception {
        this.database = database;
        this.expiry = expiry;
        this.limits = limits;
        this.sync = sync;
        this.maxOpenReads = maxOpenReads;
        this.servers = new PostgresQueues[servers];
        this.executor = Executors.newCachedThreadPool(threads);
        this.scheduler = Executors.newScheduledThreadPool(2, threads);
        database.clear();
        for (int i = 0; i < servers; i++) {
            start(i);
        }
    }

    private void start(int server) throws Exception {
        SharedSettings settings = new SharedSettings(UUID.randomUUID().toString(), "model-" + server, sync, 2, 0,
                TAKEOVER_MILLIS, expiry, true, limits); // fanout on: no other test's names hold '+'

        servers[server] = PostgresQueues.start(database.source, threads, executor, scheduler, scheduler, settings);
    }

    @Override
    public int servers() {
        return servers.length;
    }

    @Override
    public Link connect(int server) {
        return new InProcessLink(new MemcacheCommands(servers[server].operations(), new Statistics(), "0.2",
                maxOpenReads, MAX_WAIT_MILLIS));
    }

    @Override
    public void restart(int server) throws Exception {
        servers[server].stop();
        start(server);
    }

    @Override
    public void kill(int server) throws Exception {
        servers[server].halt();
        start(server);
    }

    @Override
    public boolean canKill() {
        return true;
    }

    @Override
    public void close() throws Exception {
        for (PostgresQueues server : servers) {
            server.stop();
        }
        executor.shutdownNow();
        scheduler.shutdownNow();
    }
}
