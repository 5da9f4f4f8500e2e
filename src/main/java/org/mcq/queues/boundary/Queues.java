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
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.mcq.listener.ListenerState;
import org.mcq.queues.api.CommitObserver;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.QueueService;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.api.Store;
import org.mcq.queues.api.StoreContext;
import org.mcq.queues.api.StoreSettings;
import org.mcq.queues.store.derby.Derby;
import org.mcq.queues.store.postgres.Postgres;

/**
 * The queue service's lifecycle: reads the settings, starts the queues on the {@link Store}
 * {@code mcq.db} names ({@link Derby} or {@link Postgres}), answers for their health, and hands out
 * the route for every queue operation ({@link #operations()}); stops them in order (the writers
 * refuse new work, then write everything they accepted). Thread-safe without container locking; the
 * queue logic synchronises where it must. No container transactions: the group-commit writer commits its batches itself,
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
        settings = QueueSettings.store(config);
        try {
            Store store = settings.shared() ? new Postgres() : new Derby();
            store.prepare(settings); // before the first connection boots the database's driver
            createSchema();
            timers = timers();
            service = store.start(new StoreContext(writes, reads, threads, executor, scheduler, timers, settings,
                    new QueueSettings(config)::limits));
        } catch (StorageException | RuntimeException | OutOfMemoryError | LinkageError e) {
            refuse("the queues cannot start on " + settings.database() + ": " + reason(e), e);
            return;
        }
        started = true;
        LOG.info(String.format("mcq queues ready: %s; started in %d ms", service.description(),
                (System.nanoTime() - begin) / 1_000_000));
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
        return Backup.take(running, Path.of(settings.backupDir()));
    }

    public boolean writerAlive() {
        return service != null && service.alive();
    }
}
