package org.mcq.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One request and its reply over a link, for tests that script a conversation. */
public final class Wire {

    private Wire() {
    }

    /** Sends the request (its CRLF added) and reads the first line of its reply. */
    public static String call(Link link, String request) throws IOException {
        link.send((request + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return line(link.replies());
    }

    /** Sends the request and reads its reply's lines up to {@code END} (not included). */
    public static List<String> lines(Link link, String request) throws IOException {
        link.send((request + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        List<String> lines = new ArrayList<>();
        for (String line = line(link.replies()); !line.equals("END"); line = line(link.replies())) {
            lines.add(line);
        }
        return lines;
    }

    public static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new java.io.EOFException("the connection closed mid-line: " + line);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
    }
}
