package org.mcq.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The seeded driver: takes random steps against a {@link Target}, one command at a time over
 * several connections (of several servers), checks every reply against the {@link QueueModel},
 * and stops at the first divergence with the seed and the recent history. The same seed takes the
 * same steps, so a divergence is a test that replays.
 */
public final class ModelRun {

    private static final List<String> PLAIN_QUEUES = List.of("q", "d", "sub/dir", "a/b/c");
    /** With fanout on: two subscribers of {@code q}, and one of a queue nobody sets. */
    private static final List<String> FANOUT_QUEUES = List.of("q", "d", "sub/dir", "a/b/c", "q+a", "q+b", "z+c");
    private static final long[] FLAGS = {0, 1, 0xFFFF_FFFFL, 0x8000_0000L};
    private static final int HISTORY = Integer.getInteger("mcq.model.history", 60);
    private static final long SETTLE_MILLIS = 60_000;

    private final Target target;
    private final QueueModel model;
    private final long seed;
    private final Random random;
    private final Mix mix;
    private final List<String> queues;
    private final int connectionsPerServer;
    private final Map<Integer, Client> clients = new HashMap<>();
    private final ArrayDeque<String> history = new ArrayDeque<>();
    private final Map<Mix.Kind, Integer> counts = new HashMap<>();
    private int step;

    private static final class Client {
        final Link link;
        final ReplyReader reader;

        Client(Link link) {
            this.link = link;
            this.reader = new ReplyReader(link.replies());
        }
    }

    public ModelRun(Target target, QueueModel model, long seed, Mix mix, int connectionsPerServer) {
        this.target = target;
        this.model = model;
        this.seed = seed;
        this.random = new Random(seed);
        this.mix = mix;
        this.queues = model.fanout() ? FANOUT_QUEUES : PLAIN_QUEUES;
        this.connectionsPerServer = connectionsPerServer;
    }

    /** Takes {@code steps} steps; throws {@link AssertionError} at the first divergence. */
    public void run(int steps) throws Exception {
        try {
            for (int i = 0; i < steps; i++) {
                step++;
                take(mix.pick(random));
            }
        } finally {
            for (Client client : clients.values()) {
                client.link.close();
            }
            clients.clear();
        }
    }

    /** How many steps of each kind were taken. */
    public Map<Mix.Kind, Integer> counts() {
        return counts;
    }

    private void take(Mix.Kind kind) throws Exception {
        if ((kind == Mix.Kind.KILL && !target.canKill())) {
            kind = Mix.Kind.RESTART;
        }
        counts.merge(kind, 1, Integer::sum);
        int connection = random.nextInt(target.servers() * connectionsPerServer);
        switch (kind) {
            case SET -> set(connection);
            case POP -> get(connection, List.of(QueueModel.Read.pop(queue())), false);
            case OPEN -> get(connection, List.of(read(queue(), "open")), false);
            case CLOSE -> get(connection, List.of(read(queue(), "close")), false);
            case CLOSE_OPEN -> get(connection, List.of(read(queue(), random.nextBoolean() ? "close/open" : "open/close")),
                    false);
            case ABORT -> get(connection, List.of(read(queue(), "abort")), false);
            case PEEK -> get(connection, List.of(read(queue(), "peek")), false);
            case MULTI_GET -> get(connection, multiKey(), false);
            case GETS -> get(connection, random.nextBoolean() ? List.of(QueueModel.Read.pop(queue())) : multiKey(), true);
            case DELETE -> delete(connection);
            case FLUSH -> expectLine(connection, "flush " + queue(), Set.of("END"), () -> { });
            case FLUSH_ALL -> expectLine(connection, "flush_all", Set.of("OK"), model::flushAll);
            case DUMP_STATS -> dumpStats(connection);
            case DISCONNECT -> disconnect(connection);
            case RESTART, KILL -> restart(random.nextInt(target.servers()), kind == Mix.Kind.KILL);
        }
    }

    private String queue() {
        return queues.get(random.nextInt(queues.size()));
    }

    private static QueueModel.Read read(String queue, String options) {
        return new QueueModel.Read(queue + "/" + options, queue, options.contains("open"), options.contains("close"),
                options.equals("abort"), options.equals("peek"));
    }

    private List<QueueModel.Read> multiKey() {
        String[] options = {"", "", "open", "close", "close/open", "abort", "peek"};
        int keys = 2 + random.nextInt(4);
        List<QueueModel.Read> reads = new ArrayList<>();
        String queue = queue();
        for (int i = 0; i < keys; i++) {
            if (random.nextInt(3) == 0) {
                queue = queue(); // mostly the same queue again: repeated keys
            }
            String option = options[random.nextInt(options.length)];
            reads.add(option.isEmpty() ? QueueModel.Read.pop(queue) : read(queue, option));
        }
        return reads;
    }

    private Client client(int connection) throws Exception {
        Client client = clients.get(connection);
        if (client == null) {
            client = new Client(target.connect(connection / connectionsPerServer));
            clients.put(connection, client);
        }
        return client;
    }

    private void set(int connection) throws Exception {
        String queue = queue();
        for (String subscriber : model.unsettledSubscribers(queue)) {
            get(connection, List.of(read(subscriber, "peek")), false); // settles whether it exists: it does now
        }
        long flags = random.nextInt(3) == 0 ? random.nextLong() & 0xFFFF_FFFFL : FLAGS[random.nextInt(FLAGS.length)];
        byte[] body = body();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(ascii("set " + queue + " " + flags + " 0 " + body.length + "\r\n"));
        request.writeBytes(body);
        request.writeBytes(ascii("\r\n"));
        String command = "set " + queue + " " + flags + " 0 " + body.length + " " + digest(body);
        Client client = client(connection);
        client.link.send(request.toByteArray());
        String reply = client.reader.line();
        QueueModel.Message message = model.set(queue, flags, body);
        record(connection, command + " (m" + message.seq() + ")", reply);
        if (!reply.equals("STORED")) {
            diverge("STORED", reply);
        }
    }

    private byte[] body() {
        int kind = random.nextInt(20);
        int size = kind < 10 ? random.nextInt(17) : kind < 17 ? random.nextInt(1025) : random.nextInt(65_537);
        byte[] body = new byte[size];
        random.nextBytes(body);
        return body;
    }

    private void get(int connection, List<QueueModel.Read> reads, boolean withCas) throws Exception {
        StringBuilder command = new StringBuilder(withCas ? "gets" : "get");
        reads.forEach(read -> command.append(' ').append(read.key()));
        Client client = client(connection);
        client.link.send(ascii(command + "\r\n"));
        StringBuilder other = new StringBuilder();
        List<ReplyReader.Received> received = client.reader.values(other);
        List<QueueModel.Value> expected = model.get(connection, reads);
        record(connection, command.toString(), received == null ? other.toString() : describe(received));
        if (expected == null) {
            if (received != null || !other.toString().equals("CLIENT_ERROR too many open reads")) {
                diverge("CLIENT_ERROR too many open reads", received == null ? other.toString() : describe(received));
            }
            return;
        }
        if (received == null || !matches(expected, received, withCas)) {
            diverge(describeExpected(expected), received == null ? other.toString() : describe(received));
        }
    }

    private static boolean matches(List<QueueModel.Value> expected, List<ReplyReader.Received> received,
                                   boolean withCas) {
        if (expected.size() != received.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            QueueModel.Value value = expected.get(i);
            ReplyReader.Received got = received.get(i);
            if (!value.key().equals(got.key()) || value.flags() != got.flags() || !Arrays.equals(value.body(), got.body())
                    || withCas != (got.cas() != null)) {
                return false;
            }
        }
        return true;
    }

    private void delete(int connection) throws Exception {
        String queue = queue();
        Set<String> allowed = model.delete(queue);
        expectLine(connection, "delete " + queue, allowed, () -> { });
    }

    private void expectLine(int connection, String command, Set<String> allowed, Runnable effect) throws Exception {
        Client client = client(connection);
        client.link.send(ascii(command + "\r\n"));
        String reply = client.reader.line();
        if (command.startsWith("flush ")) {
            model.flush(command.substring(6));
        }
        effect.run();
        record(connection, command, reply);
        if (!allowed.contains(reply)) {
            diverge(String.join(" or ", allowed), reply);
        }
    }

    private void dumpStats(int connection) throws Exception {
        List<String> names = new ArrayList<>(queues);
        java.util.Collections.shuffle(names, random);
        names = names.subList(0, 1 + random.nextInt(names.size()));
        Client client = client(connection);
        String command = "dump_stats " + String.join(" ", names);
        client.link.send(ascii(command + "\r\n"));
        Map<String, Map<String, Long>> dump = client.reader.dump();
        record(connection, command, dump.toString());
        String wrong = compare(names, dump);
        if (wrong != null) {
            diverge(wrong, dump.toString());
        }
    }

    /** What in the dump disagrees with the model, or null. */
    private String compare(List<String> names, Map<String, Map<String, Long>> dump) {
        for (String name : dump.keySet()) {
            if (!names.contains(name)) {
                return "no block for " + name + ", which was not asked for";
            }
        }
        for (String name : names) {
            QueueModel.Figures figures = model.figures(name);
            Map<String, Long> block = dump.get(name);
            if (block == null) {
                if (figures.presence() == QueueModel.Presence.REQUIRED) {
                    return "a block for " + name + " with " + figures;
                }
                continue;
            }
            if (figures.presence() == QueueModel.Presence.ABSENT) {
                return "no block for " + name + " (no such queue)";
            }
            if (!is(block, "items", figures.items()) || !is(block, "open_transactions", figures.openReads())
                    || !is(block, "bytes", figures.bytes())) {
                return name + " with items=" + figures.items() + " bytes=" + figures.bytes() + " open_transactions="
                        + figures.openReads();
            }
        }
        return null;
    }

    private static boolean is(Map<String, Long> block, String figure, long expected) {
        Long value = block.get(figure);
        return value != null && value == expected;
    }

    private void disconnect(int connection) throws Exception {
        Client client = clients.remove(connection);
        if (client == null) {
            return;
        }
        client.link.close();
        Set<String> returned = model.closed(connection);
        record(connection, "(disconnect)", "gives back " + returned);
        settle(new TreeSet<>(returned));
    }

    private void restart(int server, boolean kill) throws Exception {
        for (int c = server * connectionsPerServer; c < (server + 1) * connectionsPerServer; c++) {
            Client client = clients.remove(c);
            if (client != null) {
                client.link.close();
            }
            model.closed(c);
        }
        long began = System.nanoTime();
        if (kill) {
            target.kill(server);
            model.crashed();
        } else {
            target.restart(server);
        }
        record(-1, (kill ? "(kill -9 and start of server " : "(restart of server ") + server + ")",
                "in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) + " ms");
        settle(new TreeSet<>(queues));
    }

    /**
     * Waits until the server shows what the model says of these queues: what a closed connection or a
     * stopped server gives back is returned asynchronously (after a crash of one of several servers,
     * once the others see it silent). Polls {@code dump_stats} on a connection of its own.
     */
    private void settle(Set<String> queues) throws Exception {
        if (queues.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>(queues);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
        String wrong;
        Map<String, Map<String, Long>> dump;
        try (Link link = target.connect(0)) {
            ReplyReader reader = new ReplyReader(link.replies());
            while (true) {
                link.send(ascii("dump_stats " + String.join(" ", names) + "\r\n"));
                dump = reader.dump();
                wrong = compare(names, dump);
                if (wrong == null || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(20); // between polls of an observable condition, not instead of one
            }
        }
        if (wrong != null) {
            record(-1, "(settling " + names + " for " + SETTLE_MILLIS + " ms)", dump.toString());
            diverge(wrong, dump.toString());
        }
    }

    private void record(int connection, String command, String reply) {
        if (history.size() == HISTORY) {
            history.removeFirst();
        }
        String who = connection < 0 ? "" : "c" + connection + "@s" + connection / connectionsPerServer + " ";
        history.addLast(String.format("%6d %s%s -> %s", step, who, command, abbreviate(reply)));
    }

    private void diverge(String expected, String actual) {
        StringBuilder report = new StringBuilder()
                .append("seed ").append(seed).append(" diverged at step ").append(step).append('\n')
                .append("expected: ").append(abbreviate(expected)).append('\n')
                .append("actual:   ").append(abbreviate(actual)).append('\n')
                .append("replay: -Dmcq.model.seed=").append(seed).append('\n')
                .append("recent history (step, connection@server, command -> reply):\n");
        history.forEach(line -> report.append(line).append('\n'));
        report.append("the model after the step:\n").append(model.describe());
        throw new AssertionError(report.toString());
    }

    private static String describe(List<ReplyReader.Received> received) {
        StringBuilder text = new StringBuilder();
        for (ReplyReader.Received value : received) {
            text.append("VALUE ").append(value.key()).append(' ').append(value.flags()).append(' ')
                    .append(value.body().length).append(' ').append(digest(value.body()))
                    .append(value.cas() == null ? "" : " cas " + value.cas()).append("; ");
        }
        return text.append("END").toString();
    }

    private static String describeExpected(List<QueueModel.Value> expected) {
        StringBuilder text = new StringBuilder();
        for (QueueModel.Value value : expected) {
            text.append("VALUE ").append(value.key()).append(' ').append(value.flags()).append(' ')
                    .append(value.body().length).append(' ').append(digest(value.body())).append(" (m")
                    .append(value.seq()).append("); ");
        }
        return text.append("END").toString();
    }

    /** A body's first bytes in hex, enough to tell messages apart in a report. */
    private static String digest(byte[] body) {
        StringBuilder hex = new StringBuilder("#");
        for (int i = 0; i < Math.min(4, body.length); i++) {
            hex.append(String.format("%02x", body[i]));
        }
        return hex.toString();
    }

    private static String abbreviate(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
