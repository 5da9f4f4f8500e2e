package org.mcq.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Drives a memcache-protocol server and prints throughput, latency percentiles and the server's RSS.
 *
 * <pre>
 * java -jar mcq-bench.jar --port PORT [--host 127.0.0.1 | unix:/path/to/socket] [--label mcq] [--pid PID]
 *      [--ports P1,P2,... (connections spread over several servers)] [--workload pairs|shared|pipelined] [--connections 32] [--size 64] [--seconds 10] [--warmup 3]
 * </pre>
 * pairs: each connection loops set then get on its own queue (one sample per pair).
 * shared: half the connections set, half get, on 4 shared queues (one sample per operation).
 * pipelined: each connection writes 16 sets then 16 gets at once (one sample per 32 commands).
 * fill: pipelined sets of 64 into one queue ({@code --queue}) until {@code --count} are stored.
 * drain: gets from one queue ({@code --queue}) for the measured time (one sample per get).
 * worker: the worker's loop of reliable reads: one consumer connection loops {@code get q/close/open/t=1000}
 * (confirms the job it holds, opens the next) beside one producer connection looping {@code set q}, on one
 * queue, after {@code --count} messages stored beforehand (pipelined) so that the consumer does not run
 * dry; {@code --connections} is ignored. One sample per consumer command; the line also gives the
 * producer's sets/s and {@code empty}, the consumer's replies without a message (it had outrun the
 * producer and the backlog: then its time per operation is the producer's pace, not its own).
 * Throughput is set+get pairs per second (shared, fill: sets; drain: gets, hits only; worker: consumer
 * commands that took a message).
 */
public final class Benchmark {

    private final String host;
    private final int port;
    private final String label;
    private final long pid;
    private final String workload;
    private final int connections;
    private final int size;
    private final int seconds;
    private final int warmup;
    private final String queue;
    /** With {@code queue}: each connection on a queue of its own, {@code <queue><index>} (its subscribers made beforehand). */
    private final boolean queuePerConnection;
    private final long count;
    private final int[] ports;

    private Benchmark(Map<String, String> args) {
        host = args.getOrDefault("host", "127.0.0.1");
        if (!args.containsKey("port")) {
            throw new IllegalArgumentException("--port is required (the server's mcq.port)");
        }
        port = Integer.parseInt(args.get("port"));
        // several servers of one shared database: the connections are spread over them in turn
        ports = args.containsKey("ports")
                ? java.util.Arrays.stream(args.get("ports").split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[]{port};
        label = args.getOrDefault("label", host + ":" + port);
        pid = Long.parseLong(args.getOrDefault("pid", "-1"));
        workload = args.getOrDefault("workload", "pairs");
        connections = Integer.parseInt(args.getOrDefault("connections", "32"));
        size = Integer.parseInt(args.getOrDefault("size", "64"));
        seconds = Integer.parseInt(args.getOrDefault("seconds", "10"));
        warmup = Integer.parseInt(args.getOrDefault("warmup", "3"));
        queue = args.get("queue");
        queuePerConnection = Boolean.parseBoolean(args.getOrDefault("queue-per-connection", "false"));
        count = Long.parseLong(args.getOrDefault("count", "0"));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        Result result = new Benchmark(args).run();
        System.out.println(result);
    }

    /** One measured run. */
    record Result(String label, String workload, int connections, int size, double throughput,
                  double p50, double p99, double p999, long rssKib, long errors, String extra) {
        Result(String label, String workload, int connections, int size, double throughput,
               double p50, double p99, double p999, long rssKib, long errors) {
            this(label, workload, connections, size, throughput, p50, p99, p999, rssKib, errors, "");
        }

        @Override
        public String toString() {
            return String.format("RESULT label=%s workload=%s connections=%d size=%d throughput=%.0f/s "
                            + "p50=%.3fms p99=%.3fms p99.9=%.3fms rss=%dMiB errors=%d%s",
                    label, workload, connections, size, throughput, p50, p99, p999, rssKib / 1024, errors,
                    extra.isEmpty() ? "" : " " + extra);
        }
    }

    Result run() throws Exception {
        if (workload.equals("fill")) {
            return fill();
        }
        if (workload.equals("worker")) {
            return worker();
        }
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'b');
        String runId = Long.toString(System.nanoTime() % 1_000_000, 36);
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch ready = new CountDownLatch(connections);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Worker worker = new Worker(i, runId, body, measuring, running, ready);
            workers.add(worker);
            Thread thread = new Thread(worker, "bench-" + i);
            thread.setDaemon(true);
            worker.thread = thread;
            thread.start();
        }
        Window window = measure(ready, measuring);
        long elapsed = window.nanos();
        long rss = window.rssKib();
        running.set(false);
        for (Worker worker : workers) {
            worker.thread.join(30_000);
        }
        long count = 0;
        long errors = 0;
        int samples = 0;
        for (Worker worker : workers) {
            count += worker.operations;
            errors += worker.errors;
            samples += worker.latencies.size;
        }
        long[] all = new long[samples];
        int at = 0;
        for (Worker worker : workers) {
            System.arraycopy(worker.latencies.values, 0, all, at, worker.latencies.size);
            at += worker.latencies.size;
        }
        Arrays.sort(all);
        return new Result(label, workload, connections, size, count * 1e9 / elapsed,
                percentile(all, 0.50), percentile(all, 0.99), percentile(all, 0.999), rss, errors);
    }

    /** Stores {@code count} messages into {@code queue} as fast as pipelining allows. */
    private Result fill() throws Exception {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'f');
        byte[] header = ("set " + queue + " 0 0 " + size + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        java.util.concurrent.atomic.AtomicLong left = new java.util.concurrent.atomic.AtomicLong(count);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            Thread thread = new Thread(() -> {
                try (Connection c = new Connection(host, port)) {
                    long n;
                    while ((n = Math.min(64, left.getAndAdd(-64))) > 0) {
                        for (int k = 0; k < n; k++) {
                            c.writeSet(header, body);
                        }
                        c.flush();
                        for (int k = 0; k < n; k++) {
                            c.expectStored();
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(label, workload, connections, size, count / seconds, Double.NaN, Double.NaN, Double.NaN,
                rssKib(), 0);
    }

    /**
     * The worker's loop: one consumer doing {@code get q/close/open/t=1000} beside one producer doing
     * {@code set q}, both on their own connection, on a queue of this run primed with {@code count}
     * messages. Measures the consumer.
     */
    private Result worker() throws Exception {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'w');
        String q = (queue != null ? queue : "bench-" + Long.toString(System.nanoTime() % 1_000_000, 36)) + "-worker";
        byte[] setHeader = ("set " + q + " 0 0 " + size + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] firstOpen = ("get " + q + "/open/t=1000\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] closeOpen = ("get " + q + "/close/open/t=1000\r\n").getBytes(StandardCharsets.ISO_8859_1);
        if (count > 0) {
            try (Connection c = new Connection(host, port)) {
                for (long left = count; left > 0; left -= 64) {
                    long n = Math.min(64, left);
                    for (long k = 0; k < n; k++) {
                        c.writeSet(setHeader, body);
                    }
                    c.flush();
                    for (long k = 0; k < n; k++) {
                        c.expectStored();
                    }
                }
            }
        }
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch ready = new CountDownLatch(2);
        long[] produced = new long[1];
        long[] consumed = new long[2]; // messages taken, empty replies
        long[] failures = new long[1];
        Samples latencies = new Samples();
        Thread producer = new Thread(() -> {
            try (Connection c = new Connection(host, port)) {
                ready.countDown();
                while (running.get()) {
                    c.writeSet(setHeader, body);
                    c.flush();
                    c.expectStored();
                    if (measuring.get()) {
                        produced[0]++;
                    }
                }
            } catch (IOException e) {
                synchronized (failures) {
                    failures[0]++;
                }
                System.err.println("producer: " + e);
                ready.countDown();
            }
        }, "bench-producer");
        Thread consumer = new Thread(() -> {
            try (Connection c = new Connection(host, port)) {
                ready.countDown();
                byte[] request = firstOpen;
                while (running.get()) {
                    long begin = System.nanoTime();
                    c.writeGet(request);
                    c.flush();
                    int length = c.readValue();
                    if (measuring.get()) {
                        latencies.add(System.nanoTime() - begin);
                        consumed[length >= 0 ? 0 : 1]++;
                    }
                    request = closeOpen;
                }
            } catch (IOException e) {
                synchronized (failures) {
                    failures[0]++;
                }
                System.err.println("consumer: " + e);
                ready.countDown();
            }
        }, "bench-consumer");
        producer.setDaemon(true);
        consumer.setDaemon(true);
        producer.start();
        consumer.start();
        Window window = measure(ready, measuring);
        long elapsed = window.nanos();
        long rss = window.rssKib();
        running.set(false);
        producer.join(30_000);
        consumer.join(30_000); // its connection closes: a read it still held open goes back to the queue
        try (Connection c = new Connection(host, port)) { // leave nothing behind for the runs after this one
            c.writeGet(("flush " + q + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            c.flush();
            c.readValue();
        } catch (IOException e) {
            System.err.println("flush " + q + ": " + e);
        }
        long[] all = Arrays.copyOf(latencies.values, latencies.size);
        Arrays.sort(all);
        long errors;
        synchronized (failures) {
            errors = failures[0];
        }
        return new Result(label, workload, 1, size, consumed[0] * 1e9 / elapsed,
                percentile(all, 0.50), percentile(all, 0.99), percentile(all, 0.999), rss, errors,
                String.format("producer=%.0f/s empty=%d prefill=%d", produced[0] * 1e9 / elapsed, consumed[1], count));
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** The measured part of a run: its length and the server's RSS at its end. */
    private record Window(long nanos, long rssKib) {
    }

    /** Once every client is ready: the warm-up, then {@code seconds} with {@code measuring} on. */
    private Window measure(CountDownLatch ready, AtomicBoolean measuring) throws InterruptedException {
        ready.await();
        Thread.sleep(warmup * 1000L); // warm-up period of a wall-clock benchmark, not synchronisation
        long start = System.nanoTime();
        measuring.set(true);
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        return new Window(System.nanoTime() - start, rssKib());
    }

    private long rssKib() {
        if (pid <= 0) {
            return -1;
        }
        try (Stream<String> lines = Files.lines(Path.of("/proc/" + pid + "/status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    /** A growable array of latency samples in nanoseconds. */
    static final class Samples {
        long[] values = new long[1 << 16];
        int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }
    }

    private final class Worker implements Runnable {
        private final int index;
        private final byte[] body;
        private final AtomicBoolean measuring;
        private final AtomicBoolean running;
        private final CountDownLatch ready;
        private final Samples latencies = new Samples();
        private final byte[] setHeader;
        private final byte[] getRequest;
        private final boolean producer;
        private Thread thread;
        private long operations;
        private long errors;

        Worker(int index, String runId, byte[] body, AtomicBoolean measuring, AtomicBoolean running, CountDownLatch ready) {
            this.index = index;
            this.body = body;
            this.measuring = measuring;
            this.running = running;
            this.ready = ready;
            String queue = Benchmark.this.queue != null
                    ? Benchmark.this.queue + (queuePerConnection ? Integer.toString(index) : "")
                    : workload.equals("shared") ? "bench-" + runId + "-shared-" + (index / 2 % 4) : "bench-" + runId + "-" + index;
            this.producer = index % 2 == 0;
            this.setHeader = ("set " + queue + " 0 0 " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            this.getRequest = ("get " + queue + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void run() {
            try (Connection c = new Connection(host, ports[index % ports.length])) {
                ready.countDown();
                while (running.get()) {
                    long begin = System.nanoTime();
                    switch (workload) {
                        case "pairs" -> pair(c);
                        case "shared" -> shared(c);
                        case "pipelined" -> pipelined(c);
                        case "drain" -> drain(c);
                        default -> throw new IllegalArgumentException("unknown workload " + workload);
                    }
                    if (measuring.get()) {
                        latencies.add(System.nanoTime() - begin);
                    }
                }
            } catch (IOException e) {
                errors++;
                System.err.println("worker " + index + ": " + e);
                ready.countDown();
            }
        }

        private void pair(Connection c) throws IOException {
            c.writeSet(setHeader, body);
            c.flush();
            c.expectStored();
            c.writeGet(getRequest);
            c.flush();
            if (c.readValue() < 0) {
                errors++;
            }
            count(1);
        }

        private void shared(Connection c) throws IOException {
            if (producer) {
                c.writeSet(setHeader, body);
                c.flush();
                c.expectStored();
                count(1);
            } else {
                c.writeGet(getRequest);
                c.flush();
                c.readValue();
            }
        }

        private void drain(Connection c) throws IOException {
            c.writeGet(getRequest);
            c.flush();
            if (c.readValue() >= 0) {
                count(1);
            } else {
                errors++; // the backlog ran dry: the figure would no longer be a drain rate
            }
        }

        private void pipelined(Connection c) throws IOException {
            for (int i = 0; i < 16; i++) {
                c.writeSet(setHeader, body);
            }
            for (int i = 0; i < 16; i++) {
                c.writeGet(getRequest);
            }
            c.flush();
            for (int i = 0; i < 16; i++) {
                c.expectStored();
            }
            for (int i = 0; i < 16; i++) {
                if (c.readValue() < 0) {
                    errors++;
                }
            }
            count(16);
        }

        private void count(int n) {
            if (measuring.get()) {
                operations += n;
            }
        }
    }
}
