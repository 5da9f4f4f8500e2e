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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.mcq.queues.control.CommitObserver;
import org.mcq.queues.control.DerbyStore;
import org.mcq.queues.control.DerbyTuning;
import org.mcq.queues.control.GroupCommit;
import org.mcq.queues.control.QueueSet;
import org.mcq.queues.control.StorageException;
import org.mcq.shared.control.SharedQueues;
import org.mcq.shared.control.SharedSettings;

/**
 * The queue service's lifecycle: starts the queues from the database, runs their writer and
 * periodic checkpoints, answers for their health, and hands out the route for every queue
 * operation ({@link #operations()}); stops them in order (the writer refuses new work, then writes
 * everything it accepted). Thread-safe without container locking; the queue logic synchronises
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
    @ConfigProperty(name = "mcq.max.open.reads")
    int maxOpenReads;

    @Inject
    @ConfigProperty(name = "mcq.open.timeout.s")
    long openTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "mcq.max.wait.ms")
    long maxWaitMillis;

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

    private SharedQueues shared;
    private DerbyStore store;
    private GroupCommit writer;
    private QueueSet queues;
    private QueueOperations operations;
    private ScheduledFuture<?> checkpoints;
    private ScheduledFuture<?> staleReads;
    private ScheduledFuture<?> idleQueues;
    private ExecutorService completions;
    private ScheduledExecutorService timers;
    private volatile boolean started;

    @PostConstruct
    void start() {
        if ("postgresql".equals(database)) {
            startShared();
            return;
        }
        if (!"derby".equals(database)) {
            throw new EJBException("mcq.db must be derby or postgresql, not " + database);
        }
        long begin = System.nanoTime();
        new DerbyTuning(pageCachePages, logBufferKb, pageSize).apply(); // before the first connection boots Derby
        createSchema();
        store = new DerbyStore(writes, reads);
        completions = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = threads.newThread(runnable);
            thread.setName("mcq-completion");
            return thread;
        });
        timers = timers();
        queues = new QueueSet(store, completions, executor, timers, new QueueSet.Settings(sync, flushIntervalMillis,
                memoryBudgetMb * 1024 * 1024, countersIntervalSeconds * 1000, maxOpenReads,
                openTimeoutSeconds * 1000, maxWaitMillis, expiry, idleDropSeconds * 1000),
                new QueueSettings(ConfigProvider.getConfig())::limits);
        writer = queues.writer();
        try {
            queues.load();
        } catch (StorageException e) {
            throw new EJBException("cannot load the queues", e);
        }
        Thread thread = threads.newThread(writer);
        thread.setName("mcq-writer");
        thread.start();
        if (checkpointIntervalSeconds > 0) {
            checkpoints = scheduler.scheduleWithFixedDelay(this::periodicCheckpoint,
                    checkpointIntervalSeconds, checkpointIntervalSeconds, TimeUnit.SECONDS);
        }
        if (openTimeoutSeconds > 0) {
            // checked a few times per timeout, so a read comes back within a quarter of it late
            long every = Math.max(100, openTimeoutSeconds * 250);
            staleReads = timers.scheduleWithFixedDelay(queues::returnStaleOpenReads, every, every, TimeUnit.MILLISECONDS);
        }
        if (idleDropSeconds > 0) {
            // each sweep drops what was unused since the one before: gone one to two idle times after its last use
            idleQueues = timers.scheduleWithFixedDelay(queues::dropIdleQueues, idleDropSeconds, idleDropSeconds,
                    TimeUnit.SECONDS);
        }
        operations = new QueueCommands(queues, store, executor, System.currentTimeMillis());
        started = true;
        LOG.info(String.format("mcq queues ready: %d queues, %d messages, %s mode, loaded in %d ms",
                queues.queueCount(), queues.depth(), sync ? "sync" : "no-sync (flush every " + flushIntervalMillis + " ms)",
                (System.nanoTime() - begin) / 1_000_000));
    }

    /** The queues live in a PostgreSQL database shared with other servers; this server keeps no index of its own. */
    private void startShared() {
        long begin = System.nanoTime();
        createSchema();
        timers = timers();
        String serverId = UUID.randomUUID().toString();
        shared = new SharedQueues(writes, reads, executor, timers, new SharedSettings(serverId,
                hostName() + ":" + port + " (" + host + ")", sync, sharedWriters, openTimeoutSeconds * 1000,
                takeoverSeconds * 1000, expiry, new QueueSettings(ConfigProvider.getConfig())::limits));
        try {
            shared.start(threads);
        } catch (StorageException e) {
            throw new EJBException("cannot start on the shared database", e);
        }
        operations = shared;
        started = true;
        LOG.info(String.format("mcq queues ready on the shared PostgreSQL database as server %s, %s mode, %d writers, "
                + "started in %d ms", serverId, sync ? "sync" : "no-sync (asynchronous commit)", sharedWriters,
                (System.nanoTime() - begin) / 1_000_000));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Waiting reads' deadlines (and the shared store's housekeeping): one thread for all of them, none per waiter. */
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
        if (shared != null) {
            try {
                shared.stop(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timers.shutdownNow();
            LOG.info("mcq queues stopped; everything acknowledged is committed to the shared database");
            return;
        }
        if (checkpoints != null) {
            checkpoints.cancel(false);
        }
        if (staleReads != null) {
            staleReads.cancel(false);
        }
        if (idleQueues != null) {
            idleQueues.cancel(false);
        }
        timers.shutdownNow();
        queues.stopWaiting();
        writer.stop(30_000);
        completions.shutdown();
        store.closeWriter();
        LOG.info("mcq queues stopped; everything acknowledged is written");
    }

    /** The route for every queue operation; thread-safe, lives as long as this bean. */
    public QueueOperations operations() {
        return operations;
    }

    /** Tells {@code observer} of every batch the writer commits from now on. */
    public void observeCommits(CommitObserver observer) {
        if (shared != null) {
            shared.observe(observer);
        } else {
            writer.observe(observer);
        }
    }

    /** Messages waiting in all queues (in a shared database, all servers' queues). */
    public long depth() throws StorageException {
        return shared != null ? shared.depth() : queues.depth();
    }

    /** Whether the queues live in a database other servers share. */
    public boolean isShared() {
        return shared != null;
    }

    public boolean isSync() {
        return sync;
    }

    public boolean isStarted() {
        return started;
    }

    /** Why writes fail, or null while they succeed. */
    public String storageFailure() {
        if (shared != null) {
            return shared.failure();
        }
        return writer == null ? "not started" : writer.failure();
    }

    /** Throws if the database does not answer a query. */
    public void ping() throws StorageException {
        if (shared != null) {
            shared.ping();
        } else {
            store.ping();
        }
    }

    public boolean writerAlive() {
        return shared != null ? shared.alive() : writer != null && writer.alive();
    }

    private void periodicCheckpoint() {
        try {
            store.checkpoint();
        } catch (StorageException e) {
            LOG.log(Level.WARNING, "periodic checkpoint failed", e);
        }
    }
}
