package org.mcq.imports.control;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A memcache-protocol queue server that messages are imported from (MemcacheQ, Kestrel, Darner,
 * another mcq): its queues, and its messages one at a time. A blocking client of one connection;
 * every read has a timeout, and a reply that breaks the protocol ends the import with the reason.
 */
public final class MemcacheSource implements AutoCloseable {

    /** One message taken from the source. */
    public record Message(long flags, byte[] body) {
    }

    /** Kestrel's and Darner's {@code stats} name each queue in lines such as {@code queue_jobs_items 12}. */
    private static final Pattern KESTREL_QUEUE = Pattern.compile("queue_(.+)_items");
    private static final int MAX_LINE = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int maxBody;

    /** Connects to {@code host:port}; {@code maxBody} bounds a body before it is read (this server's own limit). */
    public MemcacheSource(String host, int port, int timeoutMillis, int maxBody) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        this.maxBody = maxBody;
    }

    /**
     * Whether the source speaks Kestrel's reliable reads ({@code get q/open}, {@code /close/open},
     * {@code /abort}): mcq (its {@code stats} has {@code open_reads}), Kestrel and Darner (their
     * {@code version}). MemcacheQ does not: it would read {@code q/open} as a queue of that name.
     */
    public boolean reliable() throws IOException {
        String version = call("version").toLowerCase(Locale.ROOT);
        return version.contains("kestrel") || version.contains("darner") || stats("").containsKey("open_reads");
    }

    /** Every queue the source has: MemcacheQ's and mcq's {@code stats queue}, else Kestrel's {@code stats}. */
    public List<String> queues() throws IOException {
        List<String> names = new ArrayList<>();
        // STAT <queue> <stored>/<consumed> (MemcacheQ 0.2), or STAT <queue> alone (0.1): a server that reads
        // "stats queue" as plain "stats" answers other figures, which this leaves out
        stats("queue").forEach((name, value) -> {
            if (value.isEmpty() || value.matches("\\d+/\\d+")) {
                names.add(name);
            }
        });
        if (!names.isEmpty()) {
            return names;
        }
        for (String stat : stats("").keySet()) {
            Matcher queue = KESTREL_QUEUE.matcher(stat);
            if (queue.matches()) {
                names.add(queue.group(1));
            }
        }
        return names;
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
            throw new IOException("the source answered get " + key + " with: " + header);
        }
        long flags = Long.parseLong(parts[2]);
        long length = Long.parseLong(parts[3]);
        if (length > maxBody) {
            throw new IOException("a message of " + length + " bytes in " + key + " is over this server's mcq.max.message.size ("
                    + maxBody + ")");
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length != length || in.read() != '\r' || in.read() != '\n') {
            throw new IOException("the source's reply to get " + key + " was cut short");
        }
        String end = line();
        if (!end.equals("END")) {
            throw new IOException("the source answered get " + key + " with more than one message: " + end);
        }
        return new Message(flags, body);
    }

    /** {@code stats [argument]} as name to value; empty if the source does not know the argument. */
    private Map<String, String> stats(String argument) throws IOException {
        send(argument.isEmpty() ? "stats" : "stats " + argument);
        Map<String, String> stats = new LinkedHashMap<>();
        for (String line = line(); !line.equals("END"); line = line()) {
            if (line.equals("ERROR") || line.startsWith("CLIENT_ERROR") || line.startsWith("SERVER_ERROR")) {
                return Map.of();
            }
            if (line.startsWith("STAT ")) {
                String rest = line.substring("STAT ".length());
                int space = rest.indexOf(' ');
                stats.put(space < 0 ? rest : rest.substring(0, space), space < 0 ? "" : rest.substring(space + 1));
            }
        }
        return stats;
    }

    private String call(String command) throws IOException {
        send(command);
        return line();
    }

    private void send(String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
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
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
