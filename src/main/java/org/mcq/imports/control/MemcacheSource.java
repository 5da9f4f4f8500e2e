package org.mcq.imports.control;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A memcache-protocol queue server that messages are imported from (MemcacheQ, Kestrel, Darner,
 * another mcq): its queues, and its messages one at a time. A blocking client of one connection;
 * every reply has a deadline (every read a timeout, and the whole reply {@link ReplyDeadline}'s), and
 * a reply that breaks the protocol ends the import with the reason.
 */
public final class MemcacheSource implements AutoCloseable {

    /** One message taken from the source. */
    public record Message(long flags, byte[] body) {
    }

    /** Kestrel's and Darner's {@code stats} name each queue in lines such as {@code queue_jobs_items 12}. */
    private static final Pattern KESTREL_QUEUE = Pattern.compile("queue_(.+)_items");
    private static final int MAX_LINE = 64 * 1024;
    /** Figures (and so queues) the source may list: MemcacheQ's are lines of {@code stats queue}. */
    private static final int MAX_STATS = 1_000_000;
    /**
     * The largest body read (and put back if it is over this server's own limit): beyond it the
     * connection is dropped.
     */
    static final int HARD_LIMIT = 64 * 1024 * 1024;

    private final Socket socket;
    private final ReplyDeadline deadline;
    private final InputStream in;
    private final OutputStream out;

    /** Connects to {@code host:port}. */
    public MemcacheSource(String host, int port, int timeoutMillis) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        deadline = new ReplyDeadline(socket.getInputStream(), timeoutMillis);
        in = new BufferedInputStream(deadline);
        out = socket.getOutputStream();
    }

    /**
     * What the source holds: its queues with how many messages each has now, and whether it speaks
     * Kestrel's reliable reads ({@code get q/open}, {@code /close/open}, {@code /abort}): mcq (its
     * {@code stats} has {@code open_reads}), Kestrel and Darner (theirs has
     * {@code queue_<name>_open_transactions}). MemcacheQ does not: it would read {@code q/open} as a
     * queue of that name.
     *
     * @param reliable whether the source's reads are reliable
     * @param depths   each queue's messages, in the source's order; -1 where it does not say
     */
    public record Survey(boolean reliable, Map<String, Long> depths) {
    }

    /** Kestrel's other per-queue figures whose names also end in {@code _items}. */
    private static final List<String> KESTREL_ITEM_FIGURES = List.of("_total", "_mem", "_expired");

    /**
     * The source's queues from its plain {@code stats} (Kestrel's, Darner's {@code queue_<name>_items};
     * asked first, as Darner hangs up on {@code stats queue}), else its {@code stats queue} (MemcacheQ's
     * and mcq's {@code STAT <queue> <stored>/<consumed>}, or {@code STAT <queue>} in MemcacheQ 0.1).
     */
    public Survey survey() throws IOException {
        Map<String, String> stats = stats("");
        boolean reliable = stats.containsKey("open_reads");
        Map<String, Long> depths = new LinkedHashMap<>();
        for (Map.Entry<String, String> stat : stats.entrySet()) {
            Matcher queue = KESTREL_QUEUE.matcher(stat.getKey());
            if (queue.matches()) {
                depths.put(queue.group(1), number(stat.getValue()));
            }
            reliable |= stat.getKey().startsWith("queue_") && stat.getKey().endsWith("_open_transactions");
        }
        depths.keySet().removeIf(name -> KESTREL_ITEM_FIGURES.stream().anyMatch(figure -> name.endsWith(figure)
                && depths.containsKey(name.substring(0, name.length() - figure.length()))));
        if (!depths.isEmpty()) {
            return new Survey(reliable, depths);
        }
        stats("queue").forEach((name, value) -> {
            int slash = value.indexOf('/');
            if (value.isEmpty()) {
                depths.put(name, -1L);
            } else if (slash > 0 && value.matches("\\d+/\\d+")) {
                depths.put(name, Math.max(0, number(value.substring(0, slash)) - number(value.substring(slash + 1))));
            } // else: a server that reads "stats queue" as "stats" answers other figures, left out
        });
        return new Survey(reliable, depths);
    }

    private static long number(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Appends a message to the source's queue: one popped there that could not be stored here goes back. */
    public void set(String queue, Message message) throws IOException {
        out.write(("set " + queue + " " + message.flags() + " 0 " + message.body().length + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(message.body());
        out.write(new byte[] {'\r', '\n'});
        out.flush();
        deadline.replyDue();
        String reply = line();
        if (!reply.equals("STORED")) {
            throw new IOException("the source refused it back: " + shortened(reply));
        }
    }

    /** {@code get key}: the message it yields, or null for none. */
    public Message get(String key) throws IOException {
        send("get " + key);
        String header = line();
        if (header.equals("END")) {
            return null;
        }
        String[] parts = header.split(" ");
        if (!parts[0].equals("VALUE") || parts.length < 4) {
            throw new IOException("the source answered get " + key + " with: " + shortened(header));
        }
        long flags = Long.parseLong(parts[2]);
        long length = Long.parseLong(parts[3]);
        if (length > HARD_LIMIT) {
            throw new IOException("a message of " + length + " bytes in " + key + " is over " + HARD_LIMIT
                    + " bytes: it is lost unless the source gives it back when the connection closes");
        }
        deadline.allow(length);
        byte[] body = in.readNBytes((int) length);
        if (body.length != length || in.read() != '\r' || in.read() != '\n') {
            throw new IOException("the source's reply to get " + key + " was cut short");
        }
        String end = line();
        if (!end.equals("END")) {
            throw new IOException("the source answered get " + key + " with more than one message: " + shortened(end));
        }
        return new Message(flags, body);
    }

    /** {@code stats [argument]} as name to value; empty if the source does not know the argument. */
    private Map<String, String> stats(String argument) throws IOException {
        send(argument.isEmpty() ? "stats" : "stats " + argument);
        Map<String, String> stats = new LinkedHashMap<>();
        for (String line = line(); !line.equals("END"); line = line()) {
            if (line.strip().equals("ERROR") || line.startsWith("CLIENT_ERROR") || line.startsWith("SERVER_ERROR")) {
                return Map.of();
            }
            if (stats.size() == MAX_STATS) {
                throw new IOException("the source listed over " + MAX_STATS + " figures");
            }
            if (line.startsWith("STAT ")) {
                String rest = line.substring("STAT ".length());
                int space = rest.indexOf(' ');
                stats.put(space < 0 ? rest : rest.substring(0, space), space < 0 ? "" : rest.substring(space + 1));
            }
        }
        return stats;
    }

    /** At most 200 characters of what the source said, for a failure's text. */
    private static String shortened(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    private void send(String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        deadline.replyDue();
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the source closed the connection");
            }
            if (line.size() == MAX_LINE) {
                throw new IOException("the source sent a line over " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        deadline.allow(bytes.length + 1);
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
