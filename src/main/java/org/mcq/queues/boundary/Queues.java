package org.mcq.queues.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.Config;
import org.mcq.listener.ListenerState;
import org.mcq.queues.control.CommitObserver;
import org.mcq.queues.control.DerbyTuning;
import org.mcq.queues.control.QueueSet;
import org.mcq.queues.control.StorageException;
import org.mcq.rules.QueueLimits;
import org.mcq.shared.control.DerbyCarryOver;
import org.mcq.shared.control.SharedQueues;
import org.mcq.shared.control.SharedSettings;

/**
 * The queue service's lifecycle: reads the settings, starts the queues on the database
 * {@code mcq.db} names ({@link QueueService}: {@link DerbyQueues} or the shared store), answers for
 * their health, and hands out the route for every queue operation ({@link #operations()}); stops
 * them in order (the writers refuse new work, then write everything they accepted). Thread-safe without container locking; the queue logic synchronises
 * where it must. No container transactions: the group-commit writer commits its batches itself,
 * so a JTA transaction per call would be pure cost.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Queues {

    private static final Logger LOG = Logger.getLogger(Queues.class.getName());

    @Resource(lookup = "jdbc/mcq")
    DataSource reads;

    /** Non-transactional: the writer commits its batches itself. */
    @Resource(lookup = "jdbc/mcqWriter")
    DataSource writes;

    @PersistenceUnit(unitName = "mcq")
    EntityManagerFactory persistence;

    @Resource
    ManagedThreadFactory threads;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Resource
    ManagedExecutorService executor;

    /** To keep the memcache port closed if the queues cannot start. */
    @Resource(lookup = "mcq/listener")
    ListenerState listener;

    private StoreSettings settings;
    private QueueService service;
    private ScheduledExecutorService timers;
    private volatile boolean started;
    /** Why the queues did not start; null if they did, or are starting. */
    private volatile String startFailure;

    /**
     * Starts the queues, or refuses to: a wrong setting, or a database that cannot be used, is told in
     * one line naming it, the memcache port stays closed and health says why (DOWN, with the reason).
     * The application itself stays up, so that its health endpoints can say so.
     */
    @PostConstruct
    void start() {
        long begin = System.nanoTime();
        Config config = ConfigProvider.getConfig(Queues.class.getClassLoader());
        String wrong = SettingsCheck.refusal(config);
        if (wrong != null) {
            refuse(wrong, null);
            return;
        }
        settings = StoreSettings.read(config);
        String described;
        try {
            if (!settings.shared()) {
                // before the first connection boots Derby
                new DerbyTuning(settings.pageCachePages(), settings.logBufferKb(), settings.pageSize()).apply();
            }
            createSchema();
            timers = timers();
            described = startService(new QueueSettings(config)::limits);
        } catch (StorageException | RuntimeException | OutOfMemoryError | LinkageError e) {
            stopStarted();
            refuse("the queues cannot start on " + settings.database() + ": " + reason(e), e);
            return;
        }
        started = true;
        LOG.info(String.format("mcq queues ready: %s; started in %d ms", described, (System.nanoTime() - begin) / 1_000_000));
    }

    private String startService(Function<String, QueueLimits> limits) throws StorageException {
        StoreSettings s = settings;
        if (!s.shared()) {
            DerbyQueues derby = new DerbyQueues(writes, reads, threads, executor, scheduler, timers,
                    new QueueSet.Settings(s.sync(), s.flushIntervalMillis(), s.memoryBudgetMb() * 1024 * 1024,
                            s.countersIntervalSeconds() * 1000, s.openTimeoutSeconds() * 1000, s.expiry(),
                            s.idleDropSeconds() * 1000), s.checkpointIntervalSeconds(), limits);
            service = derby;
            return derby.summary() + " in " + s.dataDir() + ", "
                    + (s.sync() ? "sync" : "no-sync (flush every " + s.flushIntervalMillis() + " ms)") + " mode";
        }
        String serverId = UUID.randomUUID().toString();
        // the housekeeping waits on the database: on the container's scheduler, never on the deadlines' timer
        service = SharedQueues.start(writes, threads, executor, scheduler, timers, new SharedSettings(serverId,
                hostName() + ":" + s.port() + " (" + s.host() + ")", s.sync(), s.sharedWriters(),
                s.openTimeoutSeconds() * 1000, s.takeoverSeconds() * 1000, s.expiry(), limits));
        // the messages of this server's own database, if it had one, are not left behind
        DerbyCarryOver.Carried carried = s.dataDir().isEmpty() ? null : DerbyCarryOver.carry(Path.of(s.dataDir()), writes);
        return "the shared PostgreSQL database as server " + serverId + ", "
                + (s.sync() ? "sync" : "no-sync (asynchronous commit)") + " mode, " + s.sharedWriters() + " writers"
                + (carried == null ? "" : "; carried " + carried.messages() + " messages of " + carried.queues()
                        + " queues over from the Derby database now kept as " + carried.keptAs());
    }

    /** A store started before a later step failed (the carry-over) must not serve while health says it cannot. */
    private void stopStarted() {
        QueueService started = service;
        service = null;
        if (started != null) {
            try {
                started.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stopping the queues that could not finish starting failed", e);
            }
        }
    }

    /** Tells why the queues do not start, in one line (the trace, if any, at FINE), and keeps the port closed. */
    private void refuse(String reason, Throwable cause) {
        startFailure = reason;
        LOG.severe("mcq cannot start, " + reason);
        if (cause != null) {
            LOG.log(Level.FINE, "why the queues cannot start", cause);
        }
        listener.refuse("mcq cannot start, " + reason);
    }

    /**
     * Why, in one line: the innermost driver error's first line (which {@link StorageException#reason}
     * keeps free of data), else the innermost cause's.
     */
    private static String reason(Throwable failure) {
        if (failure instanceof StorageException) {
            return failure.getMessage();
        }
        Throwable innermost = failure;
        SQLException driver = null;
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            innermost = t;
            if (t instanceof SQLException sql) {
                driver = sql;
            }
        }
        if (driver != null) {
            return StorageException.reason(driver);
        }
        String message = innermost.getMessage();
        return message == null || message.isBlank() ? innermost.getClass().getName()
                : message.lines().findFirst().orElse("").strip();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Waiting reads' deadlines: one thread for all of them, none per waiter. */
    private ScheduledExecutorService timers() {
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = threads.newThread(runnable);
            thread.setName("mcq-timers");
            return thread;
        });
        deadlines.setRemoveOnCancelPolicy(true); // a served waiter's deadline does not linger
        return deadlines;
    }

    /** Lets EclipseLink create the tables its entities map, before anything reads them. */
    private void createSchema() {
        EntityManager em = persistence.createEntityManager();
        try {
            em.createQuery("SELECT COUNT(q) FROM QueueRecord q").getSingleResult();
        } finally {
            em.close();
        }
    }

    @PreDestroy
    void stop() {
        if (service == null) {
            if (timers != null) {
                timers.shutdownNow();
            }
            return;
        }
        started = false;
        try {
            service.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        LOG.info("mcq queues stopped; everything acknowledged is written");
    }

    /**
     * The route for every queue operation; thread-safe, lives as long as this bean.
     *
     * @throws IllegalStateException if the queues did not start (see {@link #startFailure()})
     */
    public QueueOperations operations() {
        QueueService running = service;
        if (running == null) {
            throw new IllegalStateException(startFailure == null ? "the queues are starting" : "mcq cannot start, " + startFailure);
        }
        return running.operations();
    }

    /** Tells {@code observer} of every batch the writer commits from now on (nothing if the queues did not start). */
    public void observeCommits(CommitObserver observer) {
        if (service != null) {
            service.observe(observer);
        }
    }

    /** Whether the queues live in a database other servers share. */
    public boolean isShared() {
        return settings != null && settings.shared();
    }

    public boolean isSync() {
        return settings != null && settings.sync();
    }

    public boolean isStarted() {
        return started;
    }

    /** Why the queues did not start (a setting, the database), in one line; null if they did or are starting. */
    public String startFailure() {
        return startFailure;
    }

    /** Why writes fail, or null while they succeed. */
    public String storageFailure() {
        return service == null ? "not started" : service.failure();
    }

    /** Throws if the database does not answer a query; one round trip, for probes that anyone may repeat. */
    public void ping() throws StorageException {
        service.ping();
    }

    /** A copy of the queues' database: where it is, and how long it took. */
    public record Backup(String directory, String database, long tookMillis) {
    }

    /**
     * Backs the queues' database up, while clients go on, into a new directory under
     * {@code mcq.backup.dir} named by the time (UTC).
     *
     * @throws UnsupportedOperationException with PostgreSQL, whose database is not this server's to copy
     */
    public Backup backup() throws StorageException, IOException {
        QueueService running = service;
        if (running == null) {
            throw new IllegalStateException("the queues are not running");
        }
        Path parent = Path.of(settings.backupDir());
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

    public boolean writerAlive() {
        return service != null && service.alive();
    }
}
