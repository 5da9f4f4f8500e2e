package org.mcq.queues.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJBException;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.mcq.queues.control.CommitObserver;
import org.mcq.queues.control.DerbyTuning;
import org.mcq.queues.control.QueueSet;
import org.mcq.queues.control.StorageException;
import org.mcq.rules.QueueLimits;
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

    @Inject
    @ConfigProperty(name = "mcq.sync")
    boolean sync;

    @Inject
    @ConfigProperty(name = "mcq.flush.interval.ms")
    long flushIntervalMillis;

    @Inject
    @ConfigProperty(name = "mcq.memory.budget.mb")
    long memoryBudgetMb;

    @Inject
    @ConfigProperty(name = "mcq.checkpoint.interval.s")
    long checkpointIntervalSeconds;

    @Inject
    @ConfigProperty(name = "mcq.counters.interval.s")
    long countersIntervalSeconds;

    @Inject
    @ConfigProperty(name = "mcq.open.timeout.s")
    long openTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "mcq.expiry")
    boolean expiry;

    @Inject
    @ConfigProperty(name = "mcq.queue.idle.drop.s")
    long idleDropSeconds;

    @Inject
    @ConfigProperty(name = "mcq.db.page.cache.pages")
    int pageCachePages;

    @Inject
    @ConfigProperty(name = "mcq.db.log.buffer.kb")
    int logBufferKb;

    @Inject
    @ConfigProperty(name = "mcq.db.page.size")
    int pageSize;

    /** derby: this server's own embedded database; postgresql: one that several servers share. */
    @Inject
    @ConfigProperty(name = "mcq.db")
    String database;

    @Inject
    @ConfigProperty(name = "mcq.db.writers")
    int sharedWriters;

    @Inject
    @ConfigProperty(name = "mcq.db.takeover.s")
    long takeoverSeconds;

    @Inject
    @ConfigProperty(name = "mcq.host")
    String host;

    @Inject
    @ConfigProperty(name = "mcq.port")
    int port;

    private QueueService service;
    private ScheduledExecutorService timers;
    private volatile boolean started;

    @PostConstruct
    void start() {
        long begin = System.nanoTime();
        if ("derby".equals(database)) {
            new DerbyTuning(pageCachePages, logBufferKb, pageSize).apply(); // before the first connection boots Derby
        } else if (!"postgresql".equals(database)) {
            throw new EJBException("mcq.db must be derby or postgresql, not " + database);
        }
        createSchema();
        timers = timers();
        Function<String, QueueLimits> limits = new QueueSettings(ConfigProvider.getConfig())::limits;
        String described;
        try {
            if ("derby".equals(database)) {
                DerbyQueues derby = new DerbyQueues(writes, reads, threads, executor, scheduler, timers,
                        new QueueSet.Settings(sync, flushIntervalMillis, memoryBudgetMb * 1024 * 1024,
                                countersIntervalSeconds * 1000, openTimeoutSeconds * 1000, expiry,
                                idleDropSeconds * 1000), checkpointIntervalSeconds, limits);
                service = derby;
                described = derby.summary() + ", " + (sync ? "sync" : "no-sync (flush every " + flushIntervalMillis + " ms)")
                        + " mode";
            } else {
                String serverId = UUID.randomUUID().toString();
                // the housekeeping waits on the database: on the container's scheduler, never on the deadlines' timer
                service = SharedQueues.start(writes, threads, executor, scheduler, timers, new SharedSettings(serverId,
                        hostName() + ":" + port + " (" + host + ")", sync, sharedWriters, openTimeoutSeconds * 1000,
                        takeoverSeconds * 1000, expiry, limits));
                described = "the shared PostgreSQL database as server " + serverId + ", "
                        + (sync ? "sync" : "no-sync (asynchronous commit)") + " mode, " + sharedWriters + " writers";
            }
        } catch (StorageException e) {
            throw new EJBException("cannot start the queues on " + database, e);
        }
        started = true;
        LOG.info(String.format("mcq queues ready: %s; started in %d ms", described, (System.nanoTime() - begin) / 1_000_000));
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
        started = false;
        try {
            service.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        LOG.info("mcq queues stopped; everything acknowledged is written");
    }

    /** The route for every queue operation; thread-safe, lives as long as this bean. */
    public QueueOperations operations() {
        return service.operations();
    }

    /** Tells {@code observer} of every batch the writer commits from now on. */
    public void observeCommits(CommitObserver observer) {
        service.observe(observer);
    }

    /** Whether the queues live in a database other servers share. */
    public boolean isShared() {
        return "postgresql".equals(database);
    }

    public boolean isSync() {
        return sync;
    }

    public boolean isStarted() {
        return started;
    }

    /** Why writes fail, or null while they succeed. */
    public String storageFailure() {
        return service == null ? "not started" : service.failure();
    }

    /** Throws if the database does not answer a query; one round trip, for probes that anyone may repeat. */
    public void ping() throws StorageException {
        service.ping();
    }

    public boolean writerAlive() {
        return service != null && service.alive();
    }
}
