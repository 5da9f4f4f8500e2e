package org.mcq.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 100,000 random and mutated command streams, fed in random fragments. Whatever the input, the
 * decoder must never throw, never reserve more than its limits allow, and, unless it has closed the
 * connection, decode a well-formed command once the garbage is behind it.
 */
class CommandDecoderFuzzTest {

    private static final int STREAMS = 100_000;
    private static final Limits LIMITS = new Limits(256, 1024);
    private static final String[] VERBS = {"set", "add", "replace", "append", "prepend", "cas", "get", "gets",
            "delete", "incr", "decr", "touch", "stats", "flush_all", "version", "verbosity", "quit",
            "db_checkpoint", "db_archive", "bogus", "GET", ""};

    @Test
    void randomAndMutatedStreamsNeverBreakTheDecoder() {
        Random random = new Random(20261121L);
        int closed = 0;
        int commands = 0;
        for (int n = 0; n < STREAMS; n++) {
            byte[] stream = randomStream(random);
            if (random.nextInt(3) > 0) {
                stream = mutate(random, stream);
            }
            CommandDecoder decoder = new CommandDecoder(LIMITS);
            Outcome outcome = feed(decoder, random, stream, n);
            commands += outcome.commands;
            if (outcome.closed) {
                closed++;
                continue;
            }
            if (stream.length > 0 && stream[0] == (byte) 0x80) {
                continue; // a binary connection from its first byte: BinaryDecoderTest fuzzes that protocol
            }
            // run out whatever data block or skip the garbage declared, end the line, and again if that
            // line itself declared a data block
            boolean ended = false;
            boolean closedNow = false;
            for (int round = 0; round < 4 && !ended; round++) {
                Outcome drained = feedFiller(decoder, random, decoder.bytesUntilLine(), n);
                closedNow = drained.closed;
                ended = closedNow || decoder.bytesUntilLine() == 0;
            }
            if (!ended) {
                fail("stream " + n + " still expects data after four line ends");
            }
            if (closedNow) {
                closed++;
                continue;
            }
            Outcome sentinel = feed(decoder, random, "get resync\r\n".getBytes(StandardCharsets.ISO_8859_1), n);
            assertEquals("get resync", sentinel.last, "stream " + n + " did not resynchronise");
        }
        assertTrue(commands > STREAMS / 2, "the generator must produce mostly valid commands, got " + commands);
        assertTrue(closed > 0 && closed < STREAMS / 2, "closed " + closed);
    }

    private static final byte[] FILLER = new byte[1 << 20];

    static {
        java.util.Arrays.fill(FILLER, (byte) 'x');
    }

    /** Feeds {@code count} filler bytes (skipped data never holds a line end) and then a line end. */
    private static Outcome feedFiller(CommandDecoder decoder, Random random, long count, int stream) {
        boolean closed = false;
        while (count > 0) {
            int n = (int) Math.min(count, FILLER.length);
            ByteBuffer chunk = ByteBuffer.wrap(FILLER, 0, n);
            Decoded decoded;
            while ((decoded = decoder.decode(chunk)) != null) {
                closed |= decoded instanceof Rejection rejection && rejection.close();
            }
            count -= n;
        }
        Outcome end = feed(decoder, random, new byte[] {'\r', '\n'}, stream);
        return new Outcome(closed || end.closed, end.commands, end.last);
    }

    private record Outcome(boolean closed, int commands, String last) {
    }

    private static Outcome feed(CommandDecoder decoder, Random random, byte[] input, int stream) {
        int position = 0;
        int commands = 0;
        String last = null;
        boolean closed = false;
        while (position < input.length) {
            int length = Math.min(input.length - position, 1 + random.nextInt(random.nextBoolean() ? 8 : 600));
            ByteBuffer fragment = ByteBuffer.wrap(input, position, length);
            try {
                Decoded decoded;
                while ((decoded = decoder.decode(fragment)) != null) {
                    if (decoded instanceof Command) {
                        commands++;
                    } else if (((Rejection) decoded).close()) {
                        closed = true;
                    }
                    last = Decoding.describe(decoded);
                }
            } catch (RuntimeException e) {
                fail("stream " + stream + " threw", e);
            }
            if (fragment.hasRemaining()) {
                fail("stream " + stream + ": the decoder left input unread without yielding a unit");
            }
            int bound = LIMITS.maxLineLength() + 1 + LIMITS.maxMessageSize();
            if (decoder.reservedBytes() > bound) {
                fail("stream " + stream + " reserved " + decoder.reservedBytes() + " bytes, over " + bound);
            }
            position += length;
        }
        return new Outcome(closed, commands, last);
    }

    private static byte[] randomStream(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            String verb = VERBS[random.nextInt(VERBS.length)];
            StringBuilder line = new StringBuilder(verb);
            boolean storage = Verb.named(verb) != null && Verb.named(verb).isStorage();
            int bodyLength = random.nextInt(10) == 0 ? random.nextInt(3000) : random.nextInt(64);
            if (storage) {
                line.append(' ').append(key(random)).append(' ').append(random.nextInt(10) == 0 ? "4294967295" : random.nextInt(100))
                        .append(" 0 ").append(bodyLength);
                if (verb.equals("cas")) {
                    line.append(' ').append(random.nextInt(1000));
                }
            } else {
                int keys = random.nextInt(4);
                for (int k = 0; k < keys; k++) {
                    line.append(' ').append(key(random));
                }
            }
            if (random.nextInt(8) == 0) {
                line.append(" noreply");
            }
            line.append(random.nextInt(5) == 0 ? "\n" : "\r\n");
            out.writeBytes(line.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (storage) {
                byte[] body = new byte[bodyLength];
                random.nextBytes(body);
                out.writeBytes(body);
                out.writeBytes(new byte[] {'\r', '\n'});
            }
        }
        return out.toByteArray();
    }

    private static String key(Random random) {
        int length = random.nextInt(20) == 0 ? 240 + random.nextInt(20) : 1 + random.nextInt(12);
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < length; i++) {
            key.append((char) (0x21 + random.nextInt(0xff - 0x21)));
        }
        return key.toString();
    }

    private static byte[] mutate(Random random, byte[] stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(stream);
        byte[] bytes = out.toByteArray();
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && bytes.length > 0; m++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(6)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes = splice(bytes, at, 1, new byte[0]);
                case 2 -> {
                    byte[] noise = new byte[1 + random.nextInt(40)];
                    random.nextBytes(noise);
                    bytes = splice(bytes, at, 0, noise);
                }
                case 3 -> bytes = splice(bytes, at, bytes.length - at, new byte[0]);
                case 4 -> bytes = splice(bytes, at, 0, "\r\n".getBytes(StandardCharsets.ISO_8859_1));
                default -> bytes = splice(bytes, at, 0, new byte[] {(byte) 0x80});
            }
        }
        return bytes;
    }

    private static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
        byte[] result = new byte[bytes.length - remove + insert.length];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(insert, 0, result, at, insert.length);
        System.arraycopy(bytes, at + remove, result, at + insert.length, bytes.length - at - remove);
        return result;
    }
}
