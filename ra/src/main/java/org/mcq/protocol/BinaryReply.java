package org.mcq.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A reply in the binary protocol's frames: the answer the queues gave (as text replies are made),
 * framed for the request it answers. A 24-byte header (magic {@code 0x81}, the request's opcode and
 * opaque, a status), then extras, key and value. Quiet requests are answered only when they must be:
 * a quiet get only on a hit, a quiet set or delete only on an error.
 *
 * @param answer  the queues' answer in text-protocol terms; null when the decoder answered itself
 * @param status  the status the decoder answered with (when {@code answer} is null)
 * @param message the value of the decoder's reply: an error's message, or what a success says (when
 *                {@code answer} is null)
 */
public record BinaryReply(BinaryFrame frame, Reply answer, int status, String message) implements Reply {

    static final byte RESPONSE_MAGIC = (byte) 0x81;
    static final int HEADER = 24;

    static final int OK = 0x0000;
    static final int NOT_FOUND = 0x0001;
    static final int EXISTS = 0x0002;
    static final int TOO_LARGE = 0x0003;
    static final int INVALID = 0x0004;
    static final int NOT_STORED = 0x0005;
    static final int NON_NUMERIC = 0x0006;
    static final int AUTH_ERROR = 0x0020;
    static final int UNKNOWN_COMMAND = 0x0081;
    static final int OUT_OF_MEMORY = 0x0082;
    static final int NOT_SUPPORTED = 0x0083;
    static final int INTERNAL_ERROR = 0x0084;

    private static final ByteBuffer[] NOTHING = new ByteBuffer[0];

    /** The answer to {@code frame} that the queues' {@code answer} makes. */
    public static Reply of(BinaryFrame frame, Reply answer) {
        if (answer instanceof Streamed streamed) {
            streamed.chunks().abandon();
            return error(frame, NOT_SUPPORTED, "too long for the binary protocol: use the text protocol");
        }
        return new BinaryReply(frame, answer, OK, "");
    }

    /** A frame with only a status and, for an error, its message as the value. */
    static Reply error(BinaryFrame frame, int status, String message) {
        return new BinaryReply(frame, null, status, message);
    }

    /** A success whose value is {@code text} (SASL's mechanisms, its "Authenticated"). */
    static Reply ok(BinaryFrame frame, String text) {
        return new BinaryReply(frame, null, OK, text);
    }

    /** A success with nothing else (a no-op's, a quit's). */
    static Reply ok(BinaryFrame frame) {
        return new BinaryReply(frame, null, OK, "");
    }

    @Override
    public long reservedBodies() {
        return answer == null ? 0 : answer.reservedBodies();
    }

    @Override
    public ByteBuffer[] encode() {
        if (answer instanceof Values values) {
            Value value = values.values().get(0);
            ByteBuffer extras = ByteBuffer.allocate(4).putInt((int) value.flags()).flip();
            byte[] key = frame.returnsKey() ? frame.key() : new byte[0];
            return frame(OK, Math.max(0, value.casUnique()), extras.array(), key, value.data());
        }
        if (answer instanceof Stats stats) {
            List<ByteBuffer> frames = new ArrayList<>();
            for (Stat stat : stats.stats()) {
                byte[] value = stat.value() == null ? new byte[0] : stat.value().getBytes(StandardCharsets.ISO_8859_1);
                frames.addAll(List.of(frame(OK, 0, new byte[0], stat.name().getBytes(StandardCharsets.ISO_8859_1), value)));
            }
            frames.addAll(List.of(frame(OK, 0, new byte[0], new byte[0], new byte[0]))); // the end of the list
            return frames.toArray(ByteBuffer[]::new);
        }
        int status = this.status;
        String message = this.message;
        if (answer != null) {
            String text = ((Line) answer).text();
            if (text.startsWith("VERSION ")) {
                return frame(OK, 0, new byte[0], new byte[0], text.substring("VERSION ".length()).getBytes(StandardCharsets.ISO_8859_1));
            }
            status = status(text);
            message = status == OK ? "" : message(status, text);
        }
        if (status == OK && frame.quietOnSuccess() || status == NOT_FOUND && frame.quietOnMiss()) {
            return NOTHING;
        }
        return frame(status, 0, new byte[0], new byte[0], message.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The status a text answer stands for. */
    private static int status(String text) {
        return switch (text) {
            case "STORED", "DELETED", "OK", "RESET", "TOUCHED" -> OK;
            case "NOT_FOUND", "END" -> NOT_FOUND;
            case "NOT_STORED" -> NOT_STORED;
            case "EXISTS" -> EXISTS;
            case "ERROR" -> UNKNOWN_COMMAND;
            default -> {
                if (text.startsWith("CLIENT_ERROR")) {
                    yield INVALID;
                }
                if (text.startsWith("SERVER_ERROR object too large")) {
                    yield TOO_LARGE;
                }
                if (text.startsWith("SERVER_ERROR out of memory")) {
                    yield OUT_OF_MEMORY;
                }
                if (text.equals("SERVER_ERROR queue full")) {
                    yield NOT_STORED;
                }
                yield INTERNAL_ERROR;
            }
        };
    }

    /** memcached's words for the statuses without a message of their own; the text's own otherwise. */
    private static String message(int status, String text) {
        return switch (status) {
            case NOT_FOUND -> "Not found";
            case NOT_STORED -> text.equals("NOT_STORED") ? "Not stored" : text;
            case EXISTS -> "Data exists for key";
            case UNKNOWN_COMMAND -> "Unknown command";
            default -> text;
        };
    }

    private ByteBuffer[] frame(int status, long cas, byte[] extras, byte[] key, byte[] value) {
        ByteBuffer header = ByteBuffer.allocate(HEADER + extras.length + key.length);
        header.put(RESPONSE_MAGIC).put((byte) frame.opcode()).putShort((short) key.length).put((byte) extras.length)
                .put((byte) 0).putShort((short) status).putInt(extras.length + key.length + value.length)
                .putInt(frame.opaque()).putLong(cas).put(extras).put(key).flip();
        return value.length == 0 ? new ByteBuffer[] {header} : new ByteBuffer[] {header, ByteBuffer.wrap(value)};
    }
}
