package org.mcq.transport;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * memcached's UDP framing of a reply: datagrams of at most {@link #MAX_DATAGRAM} bytes, each with
 * an 8-byte header (the request id, its sequence number, how many there are, 0).
 */
final class Datagrams {

    static final int HEADER = 8;
    /** memcached's largest datagram, its header included: below the Ethernet MTU, so never fragmented. */
    static final int MAX_DATAGRAM = 1400;

    private Datagrams() {
    }

    /** The datagrams of a reply of {@code size} bytes in {@code segments}; null if it needs more than 65,535. */
    static List<ByteBuffer> split(int id, ByteBuffer[] segments, int size) {
        int payload = MAX_DATAGRAM - HEADER;
        int count = Math.max(1, (size + payload - 1) / payload);
        if (count > 0xFFFF) {
            return null;
        }
        List<ByteBuffer> datagrams = new ArrayList<>(count);
        int segment = 0;
        for (int sequence = 0; sequence < count; sequence++) {
            ByteBuffer datagram = ByteBuffer.allocate(Math.min(MAX_DATAGRAM, HEADER + size - sequence * payload));
            datagram.putShort((short) id).putShort((short) sequence).putShort((short) count).putShort((short) 0);
            while (datagram.hasRemaining() && segment < segments.length) {
                ByteBuffer from = segments[segment];
                int n = Math.min(datagram.remaining(), from.remaining());
                datagram.put(from.slice(from.position(), n));
                from.position(from.position() + n);
                if (!from.hasRemaining()) {
                    segment++;
                }
            }
            datagrams.add(datagram.flip());
        }
        return datagrams;
    }
}
