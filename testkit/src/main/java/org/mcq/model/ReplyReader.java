package org.mcq.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads memcache replies off a stream, checking their framing byte for byte. */
final class ReplyReader {

    /** A {@code VALUE} as received. */
    record Received(String key, long flags, byte[] body, Long cas) {
    }

    private final InputStream in;

    ReplyReader(InputStream in) {
        this.in = in;
    }

    /** One line without its CRLF; a bare LF or the end of the stream is an error. */
    String line() throws IOException {
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

    /**
     * {@code VALUE} blocks up to {@code END}; null, with the line kept in {@code other}, when the reply
     * is a single line of another kind (an error).
     */
    List<Received> values(StringBuilder other) throws IOException {
        List<Received> values = new ArrayList<>();
        while (true) {
            String header = line();
            if (header.equals("END")) {
                return values;
            }
            String[] parts = header.split(" ");
            if (!parts[0].equals("VALUE")) {
                if (values.isEmpty()) {
                    other.append(header);
                    return null;
                }
                throw new IOException("expected VALUE or END after a value, got: " + header);
            }
            if (parts.length < 4 || parts.length > 5) {
                throw new IOException("malformed VALUE line: " + header);
            }
            byte[] body = in.readNBytes(Integer.parseInt(parts[3]));
            if (body.length != Integer.parseInt(parts[3])) {
                throw new IOException("data block cut short: " + body.length + " of " + parts[3]);
            }
            if (in.read() != '\r' || in.read() != '\n') {
                throw new IOException("data block not followed by CRLF");
            }
            values.add(new Received(parts[1], Long.parseLong(parts[2]), body,
                    parts.length == 5 ? Long.parseLong(parts[4]) : null));
        }
    }

    /** {@code dump_stats}: each queue's figures by name, up to {@code END}. */
    Map<String, Map<String, Long>> dump() throws IOException {
        Map<String, Map<String, Long>> queues = new LinkedHashMap<>();
        while (true) {
            String line = line();
            if (line.equals("END")) {
                return queues;
            }
            if (!line.startsWith("queue '") || !line.endsWith("' {")) {
                throw new IOException("expected a queue block or END, got: " + line);
            }
            String name = line.substring(7, line.length() - 3);
            Map<String, Long> figures = new LinkedHashMap<>();
            while (!(line = line()).equals("}")) {
                int equals = line.indexOf('=');
                if (!line.startsWith("  ") || equals < 0) {
                    throw new IOException("malformed figure in the block of " + name + ": " + line);
                }
                figures.put(line.substring(2, equals), Long.parseLong(line.substring(equals + 1)));
            }
            if (queues.put(name, figures) != null) {
                throw new IOException("queue " + name + " reported twice");
            }
        }
    }
}
