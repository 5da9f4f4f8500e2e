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
        try (MemcacheSource source = new MemcacheSource(host, port, TIMEOUT_MILLIS, maxBody)) {
            reliable = source.reliable();
            List<String> names = asked.isEmpty() ? source.queues() : asked;
            synchronized (moved) {
                names.forEach(name -> moved.put(name, new AtomicLong()));
            }
            for (String name : names) {
                AtomicLong count;
                synchronized (moved) {
                    count = moved.get(name);
                }
                if (reliable) {
                    moveReliably(source, name, count);
                } else {
                    move(source, name, count);
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

    private void moveReliably(MemcacheSource source, String name, AtomicLong count) throws IOException, InterruptedException {
        MemcacheSource.Message message = source.get(name + "/open");
        while (message != null) {
            store(source, name, message, true);
            count.incrementAndGet();
            message = source.get(name + "/close/open"); // confirms the one stored here, opens the next
        }
    }

    private void move(MemcacheSource source, String name, AtomicLong count) throws IOException, InterruptedException {
        for (MemcacheSource.Message message = source.get(name); message != null; message = source.get(name)) {
            store(source, name, message, false);
            count.incrementAndGet();
        }
    }

    /** Stores the message here and waits until it is acknowledged (on disk in sync mode); gives it back there if it cannot be. */
    private void store(MemcacheSource source, String name, MemcacheSource.Message message, boolean open)
            throws IOException, InterruptedException {
        try {
            queues.set(name, message.flags(), 0, message.body()).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            if (open) {
                source.get(name + "/abort"); // back at the head of the source's queue
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("storing a message of " + name + " here failed: " + cause.getMessage()
                    + (open ? " (it went back to the source)" : " (it was taken from the source: MemcacheQ has no reliable reads)"), e);
        }
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
