package org.mcq.transport;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.mcq.protocol.Reply;

/**
 * Reply segments gathered for one write. Small segments are copied together; data blocks of
 * {@link #WRAP_AT} bytes or more are written from the value's own array, so a large body is never
 * held twice.
 */
final class ReplyBuffer {

    private static final int WRAP_AT = 4096;

    private final List<ByteBuffer> segments = new ArrayList<>();
    private int size;
    private long reservedBodies;

    void add(Reply reply) {
        for (ByteBuffer segment : reply.encode()) {
            segments.add(segment);
            size += segment.remaining();
        }
        reservedBodies += reply.reservedBodies();
    }

    /** A chunk of a streamed reply, written from its own array if large. */
    void add(byte[] chunk) {
        segments.add(ByteBuffer.wrap(chunk));
        size += chunk.length;
    }

    int size() {
        return size;
    }

    /** Bytes of the gathered replies that the listener reserved as bodies ({@code VALUE} data). */
    long reservedBodies() {
        return reservedBodies;
    }

    /** The gathered bytes, in order, as the segments of one write; the reply buffer is empty afterwards. */
    ByteBuffer[] drain() {
        List<ByteBuffer> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= segments.size(); i++) {
            if (i == segments.size() || segments.get(i).remaining() >= WRAP_AT) {
                if (i > start) {
                    parts.add(ByteBuffer.wrap(copy(start, i)));
                }
                if (i < segments.size()) {
                    parts.add(segments.get(i));
                }
                start = i + 1;
            }
        }
        segments.clear();
        size = 0;
        reservedBodies = 0;
        return parts.toArray(ByteBuffer[]::new);
    }

    private byte[] copy(int from, int to) {
        int length = 0;
        for (int i = from; i < to; i++) {
            length += segments.get(i).remaining();
        }
        byte[] bytes = new byte[length];
        int offset = 0;
        for (int i = from; i < to; i++) {
            ByteBuffer segment = segments.get(i);
            int n = segment.remaining();
            segment.get(bytes, offset, n);
            offset += n;
        }
        return bytes;
    }
}
