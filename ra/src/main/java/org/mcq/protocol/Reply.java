package org.mcq.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * An answer to one command, encoded as the byte segments to write. {@link #encode()} wraps a
 * {@code VALUE}'s data block without copying it; the transport copies small segments together into
 * one write and writes large data blocks from the value's own array. A reply too large to hold at
 * once (a listing of every queue) is {@link Streamed}: made a chunk at a time as the socket takes it.
 */
public sealed interface Reply permits Reply.Line, Reply.Values, Reply.Stats, Reply.Streamed, BinaryReply {

    Reply STORED = line("STORED");
    Reply NOT_STORED = line("NOT_STORED");
    Reply NOT_FOUND = line("NOT_FOUND");
    Reply DELETED = line("DELETED");
    Reply END = line("END");
    Reply OK = line("OK");
    Reply ERROR = line("ERROR");
    Reply RESET = line("RESET");

    /** The segments that make up this reply on the wire, in order. */
    ByteBuffer[] encode();

    /** Bytes of the {@code VALUE} data it carries, which the listener reserved from the client budget. */
    default long reservedBodies() {
        return 0;
    }

    static Reply line(String text) {
        return new Line((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    static Reply clientError(String reason) {
        return line("CLIENT_ERROR " + reason);
    }

    static Reply serverError(String reason) {
        return line("SERVER_ERROR " + reason);
    }

    static Reply values(List<Value> values) {
        return values.isEmpty() ? END : new Values(values);
    }

    /** A single-line reply such as {@code STORED}. */
    record Line(byte[] bytes) implements Reply {
        @Override
        public ByteBuffer[] encode() {
            return new ByteBuffer[] {ByteBuffer.wrap(bytes)};
        }

        public String text() {
            return new String(bytes, 0, bytes.length - 2, StandardCharsets.ISO_8859_1);
        }
    }

    /** {@code VALUE} blocks followed by {@code END}. */
    record Values(List<Value> values) implements Reply {
        @Override
        public long reservedBodies() {
            long bytes = 0;
            for (Value value : values) {
                bytes += value.data().length;
            }
            return bytes;
        }

        private static final byte[] CRLF = {'\r', '\n'};
        private static final byte[] CRLF_END = "\r\nEND\r\n".getBytes(StandardCharsets.ISO_8859_1);

        @Override
        public ByteBuffer[] encode() {
            ByteBuffer[] segments = new ByteBuffer[values.size() * 3];
            int i = 0;
            for (int v = 0; v < values.size(); v++) {
                Value value = values.get(v);
                segments[i++] = ByteBuffer.wrap(value.header());
                segments[i++] = ByteBuffer.wrap(value.data());
                segments[i++] = ByteBuffer.wrap(v == values.size() - 1 ? CRLF_END : CRLF);
            }
            return segments;
        }
    }

    /** {@code STAT name value} lines followed by {@code END}. */
    record Stats(List<Stat> stats) implements Reply {
        @Override
        public ByteBuffer[] encode() {
            StringBuilder text = new StringBuilder(stats.size() * 32 + 5);
            for (Stat stat : stats) {
                text.append("STAT ").append(stat.name());
                if (stat.value() != null) {
                    text.append(' ').append(stat.value());
                }
                text.append("\r\n");
            }
            text.append("END\r\n");
            return new ByteBuffer[] {ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.ISO_8859_1))};
        }
    }

    /**
     * Where a streamed reply's bytes come from, a chunk at a time. The transport asks for the next
     * chunk only once the one before has been handed to the socket and the connection may take more,
     * so what a reply holds is about one chunk, however long it is, and a client that does not read
     * it holds no more of it than its share of output.
     */
    interface Chunks {

        /**
         * The next chunk of the reply's bytes, or null once every byte was given (its last chunk ends
         * the reply, {@code END\r\n} or an error line). Not called again before the stage completes;
         * never completed exceptionally (a failure is told in the reply's last line). May complete on
         * any thread.
         */
        CompletionStage<byte[]> next();

        /** The connection went away before the end: no more chunks are asked for. */
        default void abandon() {
        }
    }

    /**
     * A reply written as it is made, chunk by chunk (see {@link Chunks}), whether its stage was
     * complete when returned or completes later. The connection's later commands wait until all of it
     * is written, as behind any reply.
     */
    record Streamed(Chunks chunks) implements Reply {
        /** Not held whole: the transport writes it chunk by chunk. */
        @Override
        public ByteBuffer[] encode() {
            throw new UnsupportedOperationException("a streamed reply is written chunk by chunk");
        }
    }
}
