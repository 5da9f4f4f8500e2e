package org.mcq.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A raw-socket memcache text-protocol client that checks every byte of the replies it reads. */
public final class MemcacheClient implements AutoCloseable {

    /** One {@code VALUE} of a retrieval reply. */
    public record Item(String key, long flags, byte[] body, Long cas) {
        public String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** The TCP socket; null over a unix socket. */
    private final Socket socket;
    private final java.io.Closeable connection;
    private final InputStream in;
    private final OutputStream out;

    public MemcacheClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        connection = socket;
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** A client of the server's unix socket (its reads have no timeout: the test class needs one). */
    public MemcacheClient(java.nio.file.Path unixSocket) throws IOException {
        java.nio.channels.SocketChannel channel =
                java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(unixSocket));
        socket = null;
        connection = channel;
        in = new BufferedInputStream(java.nio.channels.Channels.newInputStream(channel));
        out = java.nio.channels.Channels.newOutputStream(channel);
    }

    public MemcacheClient send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    public MemcacheClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** Sends one command line and returns the one-line reply. */
    public String call(String line) throws IOException {
        send(line + "\r\n");
        return line();
    }

    public String set(String queue, String body) throws IOException {
        return set(queue, 0, body.getBytes(StandardCharsets.ISO_8859_1));
    }

    public String set(String queue, long flags, byte[] body) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("set " + queue + " " + flags + " 0 " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(body);
        request.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        send(request.toByteArray());
        return line();
    }

    /** Pops one message, or returns null when the reply is just {@code END}. */
    public Item get(String queue) throws IOException {
        List<Item> items = retrieve("get " + queue);
        if (items.size() > 1) {
            throw new IOException("one key asked, " + items.size() + " values received");
        }
        return items.isEmpty() ? null : items.get(0);
    }

    public String getText(String queue) throws IOException {
        Item item = get(queue);
        return item == null ? null : item.text();
    }

    /** Sends a {@code get}/{@code gets} line and reads the values up to {@code END}. */
    public List<Item> retrieve(String line) throws IOException {
        send(line + "\r\n");
        return values();
    }

    /** Reads {@code VALUE} blocks until {@code END}. */
    public List<Item> values() throws IOException {
        List<Item> items = new ArrayList<>();
        while (true) {
            String header = line();
            if (header.equals("END")) {
                return items;
            }
            String[] parts = header.split(" ");
            if (!parts[0].equals("VALUE") || parts.length < 4 || parts.length > 5) {
                throw new IOException("expected VALUE or END, got: " + header);
            }
            byte[] body = exactly(Integer.parseInt(parts[3]));
            expectCrlf();
            items.add(new Item(parts[1], Long.parseLong(parts[2]), body, parts.length == 5 ? Long.parseLong(parts[4]) : null));
        }
    }

    /** {@code stats <argument>} as name to value (value null for bare lines). */
    public Map<String, String> stats(String argument) throws IOException {
        send((argument == null ? "stats" : "stats " + argument) + "\r\n");
        Map<String, String> stats = new LinkedHashMap<>();
        while (true) {
            String line = line();
            if (line.equals("END")) {
                return stats;
            }
            if (!line.startsWith("STAT ")) {
                throw new IOException("expected STAT or END, got: " + line);
            }
            String rest = line.substring(5);
            int space = rest.lastIndexOf(' ');
            if (argument != null && argument.equals("queue") && space < 0) {
                stats.put(rest, null);
            } else {
                stats.put(rest.substring(0, space), rest.substring(space + 1));
            }
        }
    }

    /** Reads one line without its CRLF; a bare LF or end of stream is an error. */
    public String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + line.toString(StandardCharsets.ISO_8859_1));
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                if (bytes.length == 0 || bytes[bytes.length - 1] != '\r') {
                    throw new IOException("line not ended by CRLF: " + line.toString(StandardCharsets.ISO_8859_1));
                }
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
    }

    private byte[] exactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new IOException("data block cut short: " + bytes.length + " of " + n);
        }
        return bytes;
    }

    private void expectCrlf() throws IOException {
        if (in.read() != '\r' || in.read() != '\n') {
            throw new IOException("data block not followed by CRLF");
        }
    }

    /** Whether the server has closed the connection (end of stream within the timeout). */
    public boolean closedByServer(int timeoutMillis) throws IOException {
        if (socket == null) {
            throw new UnsupportedOperationException("over TCP only: a unix socket's read has no timeout");
        }
        int previous = socket.getSoTimeout();
        socket.setSoTimeout(timeoutMillis);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(previous);
            }
        }
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
