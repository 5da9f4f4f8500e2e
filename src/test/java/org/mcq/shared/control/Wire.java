package org.mcq.shared.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.mcq.model.Link;

/** One request and its first reply line over an in-process link, for the shared store's tests. */
final class Wire {

    private Wire() {
    }

    static String call(Link link, String request) throws IOException {
        link.send((request + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return line(link.replies());
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
    }
}
