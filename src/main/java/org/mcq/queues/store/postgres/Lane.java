package org.mcq.queues.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.mcq.queues.api.CommitObserver;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.commits.CommitWait;

/**
 * One writer thread with its own connection: takes everything waiting and writes it as one
 * transaction, so many clients share one commit (PostgreSQL's log flush). A queue always uses the
 * same lane, which keeps a connection's pipelined commands on it in order. A batch that fails, with
 * any exception, is rolled back whole and every operation of it fails.
 */
final class Lane implements Runnable {

    private static final Logger LOG = Logger.getLogger(Lane.class.getName());
    private static final int MAX_BATCH = 512;
    private static final StorageException STOPPING = new StorageException("server is stopping", null);

    private final LinkedBlockingQueue<SharedOp> pending = new LinkedBlockingQueue<>();
    private final DataSource source;
    private final BatchWriter writer;
    private final Signals signals;
    private final boolean sync;
    /** Sync mode: whether a lone op waits for a second one. */
    private final CommitWait pairing = CommitWait.pairs();
    private volatile CommitObserver observer = CommitObserver.NONE;
    private volatile boolean accepting = true;
    /** What the pair rule waits for: a second op queued, or the stop (no op will come then). */
    private final IntSupplier queuedUntilStopped = () -> accepting ? pending.size() : Integer.MAX_VALUE;
    private volatile boolean running = true;
    private Connection connection;
    private Thread thread;
    volatile long batches;
    volatile long ops;
    volatile long failures;

    Lane(DataSource source, BatchWriter writer, Signals signals, boolean sync) {
        this.source = source;
        this.writer = writer;
        this.signals = signals;
        this.sync = sync;
    }

    void start(Thread thread) {
        this.thread = thread;
        thread.start();
    }

    void submit(SharedOp op) {
        if (!accepting) {
            op.fail(STOPPING);
            return;
        }
        pending.add(op);
        if (!accepting && pending.remove(op)) {
            op.fail(STOPPING); // stopped between the check and the add: the lane may have drained already
        }
    }

    void observe(CommitObserver observer) {
        this.observer = observer;
    }

    @Override
    public void run() {
        List<SharedOp> batch = new ArrayList<>();
        List<SharedOp> next = new ArrayList<>();
        while (running || !pending.isEmpty() || !next.isEmpty()) {
            try {
                if (next.isEmpty()) {
                    SharedOp first = pending.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    if (sync) {
                        pairing.await(queuedUntilStopped);
                    }
                } else {
                    batch.addAll(next);
                    next.clear();
                }
                pending.drainTo(batch, MAX_BATCH - batch.size());
                int ordered = BatchWriter.inOrder(batch);
                if (ordered < batch.size()) {
                    List<SharedOp> later = batch.subList(ordered, batch.size());
                    next.addAll(later);
                    later.clear();
                }
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "shared-store lane failed a batch", e);
                batch.forEach(op -> op.fail(e));
            } finally {
                batch.clear();
            }
        }
        closeConnection();
    }

    private void write(List<SharedOp> batch) {
        long began = System.nanoTime();
        BatchWriter.Committed committed;
        try {
            committed = writer.write(connection(), batch);
        } catch (SQLException | RuntimeException e) {
            // whatever failed, what the batch already did (rows inserted, locked, deleted) is rolled back
            // here: left in the transaction, the next batch's commit would store it for clients told it failed
            failures++;
            closeConnection();
            if (e instanceof RuntimeException) {
                LOG.log(Level.SEVERE, "shared-store lane failed a batch", e);
            }
            StorageException cause = e instanceof SQLException sql ? StorageException.database("write failed", sql)
                    : new StorageException("write failed: an internal error (in the log)", null);
            batch.forEach(op -> op.fail(cause));
            pairing.refused();
            return;
        }
        batches++;
        ops += batch.size();
        // counted before the answers run: the callers' next ops are not among them
        int queued = pending.size();
        long nanos = System.nanoTime() - began;
        committed.answers().forEach(Runnable::run);
        if (sync) {
            // after the answers (which write the replies here): the wait for a second op begins once they are out
            pairing.written(batch.size() - committed.waitingAgain(), queued, nanos, committed.commitNanos());
        }
        if (!committed.arrivals().isEmpty()) {
            signals.announce(committed.arrivals());
        }
        observer.committed(batch.size(), System.nanoTime() - began, committed.commitNanos());
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = source.getConnection();
            try {
                c.setAutoCommit(false);
                if (!sync) {
                    try (var s = c.createStatement()) {
                        s.execute("SET synchronous_commit TO OFF"); // this connection's commits do not wait for the flush
                    }
                    c.commit();
                }
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.rollback();
                connection.close();
            } catch (SQLException ignored) {
                // broken already: the pool discards it
            }
            connection = null;
        }
    }

    /** Refuses new work, writes what it accepted, and ends. */
    void stop(long timeoutMillis) throws InterruptedException {
        accepting = false;
        running = false;
        if (thread != null) {
            thread.join(timeoutMillis);
        }
    }

    boolean alive() {
        return thread != null && thread.isAlive();
    }
}
