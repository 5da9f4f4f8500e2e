package org.mcq.protocol;

import java.nio.charset.StandardCharsets;

/**
 * One item of a {@code get}/{@code gets} reply.
 *
 * @param key       the key as asked for
 * @param flags     32-bit unsigned flags, as stored
 * @param data      the data block
 * @param casUnique the unique shown by {@code gets}, or -1 to leave it off ({@code get})
 */
public record Value(String key, long flags, byte[] data, long casUnique) {

    byte[] header() {
        String line = "VALUE " + key + ' ' + flags + ' ' + data.length
                + (casUnique >= 0 ? " " + casUnique : "") + "\r\n";
        return line.getBytes(StandardCharsets.ISO_8859_1);
    }
}
