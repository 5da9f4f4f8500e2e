package org.mcq.imports.control;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.mcq.queues.api.QueueOperations;

/**
 * One import: every message of the source's queues (all of them, or those named) moved here, in
 * order, each stored here (durably, as a {@code set} is) before the next is taken there. From a
 * source with reliable reads each message is taken open and confirmed there only once stored here
 * ({@code get q/open}, then {@code get q/close/open}): a crash, here or there, loses nothing (the one
 * in flight may come twice). From MemcacheQ, a plain {@code get}: a crash may lose the one in flight.
 */
public final class ImportJob implements Runnable {

    private static final Logger LOG = Logger.getLogger(ImportJob.class.getName());
    private static final int TIMEOUT_MILLIS = 30_000;

    /** Where an import stands. */
    public enum State { RUNNING, DONE, FAILED }

    private final long id;
    private final String host;
    private final int port;
    private final List<String> asked;
    private final QueueOperations queues;
    private final int maxBody;
    private final Instant started = Instant.now();
    private final Map<String, AtomicLong> moved = new LinkedHashMap<>();
    private volatile State state = State.RUNNING;
    private volatile String failure;
    private volatile Boolean reliable;
    private volatile Instant finished;

    /** @param asked the queues to move; empty for every queue the source has */
    public ImportJob(long id, String host, int port, List<String> asked, QueueOperations queues, int maxBody) {
        this.id = id;
        this.host = host;
        this.port = port;
        this.asked = List.copyOf(asked);
        this.queues = queues;
        this.maxBody = maxBody;
    }

    @Override
    public void run() {
        try (MemcacheSource source = new MemcacheSource(host, port, TIMEOUT_MILLIS)) {
            MemcacheSource.Survey survey = source.survey();
            reliable = survey.reliable();
            List<String> names = asked.isEmpty() ? List.copyOf(survey.depths().keySet()) : asked;
            synchronized (moved) {
                names.forEach(name -> moved.put(name, new AtomicLong()));
            }
            for (String name : names) {
                // at most what the source held when asked: a source whose get does not take (memcached),
                // or this very server, would otherwise be read without end
                long depth = survey.depths().getOrDefault(name, 0L);
                AtomicLong count;
                synchronized (moved) {
                    count = moved.get(name);
                }
                if (reliable) {
                    moveReliably(source, name, depth < 0 ? Long.MAX_VALUE : depth, count);
                } else {
                    move(source, name, depth < 0 ? Long.MAX_VALUE : depth, count);
                }
            }
            state = State.DONE;
            LOG.info(() -> "mcq imported " + total() + " messages of " + moved.size() + " queues from " + host + ":" + port);
        } catch (IOException | RuntimeException e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            state = State.FAILED;
            LOG.warning(() -> "mcq import from " + host + ":" + port + " failed after " + total() + " messages: " + failure);
        } catch (InterruptedException e) {
            failure = "interrupted (the server is stopping)";
            state = State.FAILED;
            Thread.currentThread().interrupt();
        } finally {
            finished = Instant.now();
        }
    }

    private void moveReliably(MemcacheSource source, String name, long limit, AtomicLong count)
            throws IOException, InterruptedException {
        if (limit == 0) {
            return;
        }
        MemcacheSource.Message message = source.get(name + "/open");
        while (message != null) {
            store(source, name, message, true);
            if (count.incrementAndGet() >= limit) {
                source.get(name + "/close"); // confirms the last one the source held when asked
                return;
            }
            message = source.get(name + "/close/open"); // confirms the one stored here, opens the next
        }
    }

    private void move(MemcacheSource source, String name, long limit, AtomicLong count) throws IOException, InterruptedException {
        while (count.get() < limit) {
            MemcacheSource.Message message = source.get(name);
            if (message == null) {
                return;
            }
            store(source, name, message, false);
            count.incrementAndGet();
        }
    }

    /**
     * Stores the message here and waits until it is acknowledged (on disk in sync mode). One that
     * cannot be goes back to the source: an open read is aborted (back at the head), a popped
     * message is set there again (at the tail).
     */
    private void store(MemcacheSource source, String name, MemcacheSource.Message message, boolean open)
            throws IOException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        String refused;
        if (message.body().length > maxBody) {
            refused = "a message of " + message.body().length + " bytes is over this server's mcq.max.message.size (" + maxBody + ")";
        } else {
            try {
                queues.set(name, message.flags(), 0, message.body()).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                return;
            } catch (java.util.concurrent.TimeoutException e) {
                // it may yet be stored: giving it back could make two of it, keeping it open loses nothing
                throw new IOException("storing a message of " + name + " here took over " + TIMEOUT_MILLIS / 1000
                        + " s; it may be both here and " + (open ? "back in the source's queue" : "nowhere else"), e);
            } catch (java.util.concurrent.ExecutionException e) {
                refused = "storing a message of " + name + " here failed: "
                        + (e.getCause() == null ? e : e.getCause()).getMessage();
            }
        }
        if (open) {
            source.get(name + "/abort"); // back at the head of the source's queue
            throw new IOException(refused + " (it went back to the head of the source's queue)");
        }
        source.set(name, message);
        throw new IOException(refused + " (it was set again in the source's queue, at its tail)");
    }

    public long id() {
        return id;
    }

    public String source() {
        return host + ":" + port;
    }

    public State state() {
        return state;
    }

    public String failure() {
        return failure;
    }

    /** Whether the source's reads are reliable (null until it was asked). */
    public Boolean reliable() {
        return reliable;
    }

    public Instant started() {
        return started;
    }

    public Instant finished() {
        return finished;
    }

    /** Messages moved so far, by queue, in the order the queues are moved. */
    public Map<String, Long> moved() {
        Map<String, Long> counts = new LinkedHashMap<>();
        synchronized (moved) {
            moved.forEach((name, count) -> counts.put(name, count.get()));
        }
        return counts;
    }

    public long total() {
        long total = 0;
        for (long count : new ArrayList<>(moved().values())) {
            total += count;
        }
        return total;
    }
}
