package org.mcq.queues.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Tells the other servers which queues got messages, and hears what they tell: PostgreSQL's
 * LISTEN/NOTIFY on one channel, the payload naming the sender, the kind and the queue. A server
 * with reads waiting on a queue says it wants it (again every second while they wait); the others
 * announce arrivals only on queues wanted in the last few seconds, so a busy queue nobody waits on
 * costs no notifications. Announcements are sent after the messages' commit, in a transaction of
 * their own that does not wait for the log flush (a notifying transaction holds a cluster-wide lock
 * through its commit, so it must not be the messages' own). A lost or late one costs only latency:
 * once a second {@link MissedArrivals} asks the database which queues with waiters hold messages.
 */
final class Signals {

    private static final Logger LOG = Logger.getLogger(Signals.class.getName());
    private static final String CHANNEL = "mcq_arrivals";

    private final DataSource source;
    private final String serverId;
    private final Consumer<String> arrived;
    private static final String ARRIVED = "A";
    private static final String WANTED = "W";
    private static final long WANT_NANOS = 3_000_000_000L;

    /** Payloads to send: kind, then the queue. */
    private final LinkedBlockingQueue<String> outgoing = new LinkedBlockingQueue<>();
    /**
     * Queues other servers wait on, until when (nanoTime). Those past their time are removed when
     * announced, and all at once whenever the map grows past {@link #WANTED_SWEEP}: a queue per job
     * waited on elsewhere and never set here would otherwise stay.
     */
    private final Map<String, Long> wanted = new ConcurrentHashMap<>();
    private static final int WANTED_SWEEP = 10_000;
    private volatile boolean running = true;
    private final List<Thread> threads = new ArrayList<>();

    /** @param arrived told of each queue another server announces */
    Signals(DataSource source, String serverId, Consumer<String> arrived) {
        this.source = source;
        this.serverId = serverId;
        this.arrived = arrived;
    }

    void start(Thread listener, Thread sender) {
        threads.add(listener);
        threads.add(sender);
        listener.start();
        sender.start();
    }

    Runnable listener() {
        return this::listen;
    }

    Runnable sender() {
        return this::send;
    }

    /** Messages arrived on (or came back to) these queues: told to the servers that wait on them. */
    void announce(Collection<String> queues) {
        long now = System.nanoTime();
        for (String queue : queues) {
            Long until = wanted.get(queue);
            if (until != null) {
                if (until - now > 0) {
                    outgoing.add(ARRIVED + queue);
                } else {
                    wanted.remove(queue, until);
                }
            }
        }
    }

    /** This server has reads waiting on these queues. */
    void want(Collection<String> queues) {
        for (String queue : queues) {
            outgoing.add(WANTED + queue);
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = source.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        heard(notification.getParameter());
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.log(Level.WARNING, "listening for other servers' arrivals failed; retrying in a second: " + e);
                    pause();
                }
            }
        }
    }

    private void heard(String payload) {
        int split = payload.indexOf('\n');
        if (split <= 0 || payload.length() < split + 2 || payload.startsWith(serverId + "\n")) {
            return;
        }
        String kind = payload.substring(split + 1, split + 2);
        String queue = payload.substring(split + 2);
        if (kind.equals(ARRIVED)) {
            arrived.accept(queue);
        } else if (kind.equals(WANTED)) {
            long now = System.nanoTime();
            wanted.put(queue, now + WANT_NANOS);
            if (wanted.size() > WANTED_SWEEP) {
                wanted.values().removeIf(until -> until - now <= 0);
            }
        }
    }

    private void send() {
        Set<String> queues = new LinkedHashSet<>();
        while (running || !outgoing.isEmpty()) {
            try {
                String first = outgoing.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                queues.add(first);
                outgoing.drainTo(queues);
                notify(queues);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException e) {
                if (running) {
                    LOG.log(Level.WARNING, "announcing arrivals failed (other servers' waiters poll instead): " + e);
                    pause();
                }
            } finally {
                queues.clear();
            }
        }
    }

    private void notify(Set<String> queues) throws SQLException {
        try (Connection c = source.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL synchronous_commit TO OFF");
            }
            try (PreparedStatement notify = c.prepareStatement(
                    "SELECT PG_NOTIFY('" + CHANNEL + "', ? || CHR(10) || Q) FROM UNNEST(?) AS Q")) {
                notify.setString(1, serverId);
                notify.setArray(2, c.createArrayOf("text", queues.toArray(String[]::new)));
                notify.executeQuery().close();
            }
            c.commit();
        }
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(5_000);
        }
    }

    private void pause() {
        try {
            Thread.sleep(1_000); // a database that just failed is asked again a second later, not in a loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
