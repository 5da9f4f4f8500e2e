package org.mcq.transport;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.mcq.protocol.Reply;

/** Reply segments gathered for one write, copied into one array when written. */
final class ReplyBuffer {

    private final List<ByteBuffer> segments = new ArrayList<>();
    private int size;

    void add(Reply reply) {
        for (ByteBuffer segment : reply.encode()) {
            segments.add(segment);
            size += segment.remaining();
        }
    }

    int size() {
        return size;
    }

    /** The gathered bytes, in order; the buffer is empty afterwards. */
    byte[] drain() {
        byte[] bytes = new byte[size];
        int offset = 0;
        for (ByteBuffer segment : segments) {
            int n = segment.remaining();
            segment.get(bytes, offset, n);
            offset += n;
        }
        segments.clear();
        size = 0;
        return bytes;
    }
}
