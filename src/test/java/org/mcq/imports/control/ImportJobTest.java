package org.mcq.imports.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.StorageException;

/**
 * An import against sources that speak as MemcacheQ and Kestrel do (a few lines of each, served by
 * the test): MemcacheQ's queues listed by {@code stats queue} and popped by plain gets, Kestrel's
 * listed by its {@code stats} and taken open, confirmed once stored, and given back when storing
 * fails.
 */
class ImportJobTest {

    /** A source server of one connection, answering each command line with {@code answer}'s text. */
    private static final class Source implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final List<String> commands = Collections.synchronizedList(new ArrayList<>());
        final Thread thread;

        Source(Function<String, String> answer) throws IOException {
            thread = new Thread(() -> {
                try (Socket client = socket.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
                    OutputStream out = client.getOutputStream();
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        commands.add(line);
                        out.write(answer.apply(line).getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                } catch (IOException e) {
                    // the import closed it
                }
            }, "source");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private final Map<String, List<String>> stored = new LinkedHashMap<>();
    private boolean storeFails;

    /** Queue operations of which the import uses one, set: recorded, or failed when the store fails. */
    private QueueOperations here() {
        return (QueueOperations) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {QueueOperations.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("set")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    if (storeFails) {
                        return CompletableFuture.failedFuture(new StorageException("disk full", null));
                    }
                    stored.computeIfAbsent((String) args[0], q -> new ArrayList<>())
                            .add(args[1] + ":" + new String((byte[]) args[3], StandardCharsets.ISO_8859_1));
                    return CompletableFuture.completedFuture(null);
                });
    }

    private static String value(String key, int flags, String body) {
        return "VALUE " + key + " " + flags + " " + body.length() + "\r\n" + body + "\r\nEND\r\n";
    }

    private ImportJob run(Source source, List<String> queues) throws InterruptedException {
        ImportJob job = new ImportJob(1, "127.0.0.1", source.port(), queues, here(), 1024);
        // the source answers every line it reads: its reply to a set's command line is empty, to its data STORED
        job.run();
        return job;
    }

    @AfterEach
    void noStoreFailureLeft() {
        storeFails = false;
    }

    @Test
    void memcacheqsQueuesAreListedAndPoppedInOrder() throws Exception {
        Map<String, Deque<String>> queues = new LinkedHashMap<>();
        queues.put("jobs", new ArrayDeque<>(List.of("j1", "j2", "j3")));
        queues.put("mail", new ArrayDeque<>(List.of("m1")));
        try (Source memcacheq = new Source(line -> switch (line) {
            case "stats" -> "STAT pid 1\r\nSTAT curr_connections 1\r\nEND\r\n";
            case "stats queue" -> "STAT jobs 5/2\r\nSTAT mail 1/0\r\nEND\r\n";
            default -> {
                String name = line.substring("get ".length());
                String body = queues.get(name).poll();
                yield body == null ? "END\r\n" : value(name, 5, body);
            }
        })) {
            ImportJob job = run(memcacheq, List.of());
            assertEquals(ImportJob.State.DONE, job.state(), String.valueOf(job.failure()));
            assertEquals(Boolean.FALSE, job.reliable(), "MemcacheQ has no reliable reads");
            assertEquals(Map.of("jobs", List.of("5:j1", "5:j2", "5:j3"), "mail", List.of("5:m1")), stored);
            assertEquals(Map.of("jobs", 3L, "mail", 1L), job.moved());
            assertTrue(memcacheq.commands.stream().noneMatch(c -> c.contains("/open")), "no /open: MemcacheQ would read a queue of that name");
            assertEquals(List.of("stats", "stats queue", "get jobs", "get jobs", "get jobs", "get mail"), memcacheq.commands,
                    "each queue read as deep as stats queue said (stored - consumed), no further");
        }
    }

    @Test
    void kestrelsMessagesAreTakenOpenAndConfirmedOnceStored() throws Exception {
        Deque<String> jobs = new ArrayDeque<>(List.of("k1", "k2", "k3"));
        try (Source kestrel = new Source(line -> switch (line) {
            // Kestrel 2's own lines: its version says nothing of its name; its per-queue figures do
            case "stats" -> "STAT uptime 5\r\nSTAT queue_jobs_items 2\r\nSTAT queue_jobs_total_items 9\r\n"
                    + "STAT queue_jobs_mem_items 2\r\nSTAT queue_jobs_open_transactions 0\r\nEND\r\n";
            case "get jobs/open", "get jobs/close/open" -> jobs.isEmpty() ? "END\r\n" : value("jobs", 0, jobs.poll());
            case "get jobs/close" -> "END\r\n";
            default -> "ERROR\r\n";
        })) {
            ImportJob job = run(kestrel, List.of());
            assertEquals(ImportJob.State.DONE, job.state(), String.valueOf(job.failure()));
            assertEquals(Boolean.TRUE, job.reliable(), "open_transactions: reliable reads");
            assertEquals(Map.of("jobs", List.of("0:k1", "0:k2")), stored,
                    "one queue (not jobs_total nor jobs_mem), as deep as it said: k3 came after");
            assertEquals(List.of("stats", "get jobs/open", "get jobs/close/open", "get jobs/close"), kestrel.commands,
                    "the last one confirmed alone, none opened after it");
        }
    }

    @Test
    void aSourceWhoseGetsDoNotTakeIsNotReadWithoutEnd() throws Exception {
        try (Source memcached = new Source(line -> switch (line) {
            case "stats" -> "STAT pid 1\r\nEND\r\n";
            case "stats queue" -> "ERROR\r\n";
            default -> value("cache-key", 0, "the same value, again and again");
        })) {
            ImportJob job = run(memcached, List.of("cache-key"));
            assertEquals(ImportJob.State.DONE, job.state(), String.valueOf(job.failure()));
            assertEquals(Map.of(), stored, "a queue the source does not list holds nothing to move");
        }
    }

    @Test
    void aMessageThatCannotBeStoredGoesBackToTheSource() throws Exception {
        storeFails = true;
        try (Source darner = new Source(line -> switch (line) {
            case "stats" -> "STAT queue_jobs_items 1\r\nSTAT queue_jobs_open_transactions 0\r\nEND\r\n";
            case "get jobs/open" -> value("jobs", 0, "d1");
            default -> "END\r\n";
        })) {
            ImportJob job = run(darner, List.of("jobs"));
            assertEquals(ImportJob.State.FAILED, job.state());
            assertTrue(job.failure().contains("disk full") && job.failure().contains("went back to the head"), job.failure());
            assertEquals("get jobs/abort", darner.commands.get(darner.commands.size() - 1));
        }
        try (Source memcacheq = new Source(line -> switch (line) {
            case "stats" -> "STAT pid 1\r\nEND\r\n";
            case "stats queue" -> "STAT jobs 1/0\r\nEND\r\n";
            case "get jobs" -> value("jobs", 3, "m1");
            default -> line.startsWith("set jobs 3 0 2") ? "" : line.equals("m1") ? "STORED\r\n" : "ERROR\r\n";
        })) {
            ImportJob job = run(memcacheq, List.of());
            assertEquals(ImportJob.State.FAILED, job.state());
            assertTrue(job.failure().contains("set again in the source's queue"), job.failure());
            assertEquals(List.of("stats", "stats queue", "get jobs", "set jobs 3 0 2", "m1"), memcacheq.commands,
                    "a popped message that cannot be stored is set back there, flags kept");
        }
    }

    @Test
    void aBodyOverThisServersLimitGoesBack() throws Exception {
        try (Source big = new Source(line -> switch (line) {
            case "stats" -> "STAT queue_huge_items 1\r\nSTAT queue_huge_open_transactions 0\r\nEND\r\n";
            case "get huge/open" -> value("huge", 0, "x".repeat(2000));
            default -> "END\r\n";
        })) {
            ImportJob job = run(big, List.of("huge"));
            assertEquals(ImportJob.State.FAILED, job.state());
            assertTrue(job.failure().contains("over this server's mcq.max.message.size (1024)") && job.failure().contains("went back"),
                    job.failure());
            assertEquals(Map.of(), stored);
        }
    }
}
