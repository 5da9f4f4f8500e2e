package org.mcq.queues.store.derby;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.mcq.memcache.control.InProcessLink;
import org.mcq.memcache.control.MemcacheCommands;
import org.mcq.memcache.control.Statistics;
import org.mcq.model.Link;
import org.mcq.model.Target;
import org.mcq.queues.rules.QueueLimits;

/**
 * The Derby store's engine as the server runs it ({@link DerbyQueues}: the index, the group-commit
 * writer, {@code DerbyStore}) on a real embedded Derby database in memory, with the real command
 * handling in front; no Liberty. A crash stops the writer thread where it is, without the stop's
 * last batch (the counters), and the next start reads what was committed.
 */
final class DerbyEngine implements Target {

    /** The shipped {@code mcq.max.wait.ms}. */
    static final long MAX_WAIT_MILLIS = 60_000;

    /** One database for a test class, its tables made by EclipseLink from the entities. */
    static final class Database implements AutoCloseable {
        final EmbeddedDataSource source = new EmbeddedDataSource();
        private final EntityManagerFactory jpa;

        Database(String name) {
            System.setProperty("derby.locks.deadlockTimeout", "1"); // as DerbyTuning boots the server's Derby
            jpa = Persistence.createEntityManagerFactory("mcq-component",
                    Map.of("jakarta.persistence.jdbc.url", "jdbc:derby:memory:" + name + ";create=true"));
            jpa.createEntityManager().close();
            source.setDatabaseName("memory:" + name);
        }

        /** Empties the tables, as a new database would be. */
        void clear() throws SQLException {
            try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM MESSAGES");
                s.executeUpdate("DELETE FROM QUEUES");
            }
        }

        @Override
        public void close() {
            jpa.close();
        }
    }

    private final Database database;
    private final QueueSet.Settings settings;
    private final int maxOpenReads;
    private final Function<String, QueueLimits> limits;
    private final ExecutorService executor;
    private final ScheduledExecutorService scheduler;
    private final List<Thread> writers = new ArrayList<>();
    private final ThreadFactory threads = runnable -> {
        Thread thread = new Thread(runnable);
        thread.setDaemon(true);
        synchronized (writers) {
            writers.add(thread);
        }
        return thread;
    };
    private DerbyQueues queues;

    DerbyEngine(Database database, QueueSet.Settings settings, int maxOpenReads) throws Exception {
        this(database, settings, maxOpenReads, name -> QueueLimits.NONE);
    }

    DerbyEngine(Database database, QueueSet.Settings settings, int maxOpenReads, Function<String, QueueLimits> limits)
            throws Exception {
        this.database = database;
        this.limits = limits;
        this.settings = settings;
        this.maxOpenReads = maxOpenReads;
        this.executor = Executors.newCachedThreadPool(threads);
        this.scheduler = Executors.newScheduledThreadPool(1, threads);
        database.clear();
        start();
    }

    private void start() throws Exception {
        synchronized (writers) {
            writers.clear();
        }
        queues = new DerbyQueues(database.source, database.source, threads, executor, scheduler, scheduler, settings, 0, limits, "");
    }

    @Override
    public int servers() {
        return 1;
    }

    @Override
    public Link connect(int server) {
        return new InProcessLink(new MemcacheCommands(queues.operations(), new Statistics(), "0.2",
                maxOpenReads, MAX_WAIT_MILLIS));
    }

    @Override
    public void restart(int server) throws Exception {
        queues.stop();
        start();
    }

    @Override
    public void kill(int server) throws Exception {
        List<Thread> started;
        synchronized (writers) {
            started = new ArrayList<>(writers);
        }
        for (Thread thread : started) {
            if ("mcq-writer".equals(thread.getName())) {
                thread.interrupt();
                thread.join(10_000);
            }
        }
        start();
    }

    @Override
    public boolean canKill() {
        return true;
    }

    @Override
    public void close() throws Exception {
        queues.stop();
        executor.shutdownNow();
        scheduler.shutdownNow();
    }
}
