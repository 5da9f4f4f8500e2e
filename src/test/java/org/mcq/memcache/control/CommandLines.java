package org.mcq.memcache.control;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.mcq.protocol.Command;
import org.mcq.protocol.CommandDecoder;
import org.mcq.protocol.Limits;
import org.mcq.protocol.Reply;

/** Commands from their text and replies as text, through the real codec, for tests that call {@link MemcacheCommands}. */
public final class CommandLines {

    private CommandLines() {
    }

    /** The command a client sends as this line (no data block), CRLF added. */
    public static Command command(String line) {
        CommandDecoder decoder = new CommandDecoder(new Limits(8192, 1 << 20));
        return (Command) decoder.decode(ByteBuffer.wrap((line + "\r\n").getBytes(StandardCharsets.US_ASCII)));
    }

    /** The storage command a client sends as this line and data block, CRLFs added. */
    public static Command command(String line, String data) {
        CommandDecoder decoder = new CommandDecoder(new Limits(8192, 1 << 20));
        return (Command) decoder.decode(ByteBuffer.wrap((line + "\r\n" + data + "\r\n").getBytes(StandardCharsets.US_ASCII)));
    }

    /** The reply as the client reads it (a streamed one read to its end, each chunk within 10 s). */
    public static String text(Reply reply) {
        StringBuilder text = new StringBuilder();
        if (reply instanceof Reply.Streamed streamed) {
            try {
                for (byte[] chunk = next(streamed); chunk != null; chunk = next(streamed)) {
                    text.append(new String(chunk, StandardCharsets.ISO_8859_1));
                }
            } catch (Exception e) {
                throw new AssertionError("a streamed reply's chunk did not come: " + text, e);
            }
            return text.toString();
        }
        for (ByteBuffer segment : reply.encode()) {
            byte[] bytes = new byte[segment.remaining()];
            segment.duplicate().get(bytes);
            text.append(new String(bytes, StandardCharsets.ISO_8859_1));
        }
        return text.toString();
    }

    private static byte[] next(Reply.Streamed reply) throws Exception {
        return reply.chunks().next().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
