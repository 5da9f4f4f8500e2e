package org.mcq.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The binary protocol: requests decoded into the commands their text twins are, in any
 * fragmentation; limits refused from the header with the body skipped unread and the next request
 * decoded in step; replies framed for their requests, quiet ones left unsaid.
 */
class BinaryDecoderTest {

    private static final Limits LIMITS = new Limits(8192, 1024);

    /** A request frame: magic, opcode, key length, extras length, 0, vbucket 0, body length, opaque, cas 0. */
    static byte[] request(int opcode, int opaque, byte[] extras, String key, byte[] value) {
        byte[] keyBytes = key.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer frame = ByteBuffer.allocate(24 + extras.length + keyBytes.length + value.length);
        frame.put((byte) 0x80).put((byte) opcode).putShort((short) keyBytes.length).put((byte) extras.length)
                .put((byte) 0).putShort((short) 0).putInt(extras.length + keyBytes.length + value.length)
                .putInt(opaque).putLong(0).put(extras).put(keyBytes).put(value);
        return frame.array();
    }

    private static byte[] setExtras(int flags, int exptime) {
        return ByteBuffer.allocate(8).putInt(flags).putInt(exptime).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Everything decoded from {@code bytes}, fed {@code step} bytes at a time. */
    private static List<Decoded> decode(CommandDecoder decoder, byte[] bytes, int step) {
        List<Decoded> units = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += step) {
            ByteBuffer in = ByteBuffer.wrap(bytes, at, Math.min(step, bytes.length - at));
            for (Decoded unit = decoder.decode(in); unit != null; unit = decoder.decode(in)) {
                units.add(unit);
            }
        }
        return units;
    }

    private static byte[] encode(Reply reply) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer segment : reply.encode()) {
            byte[] bytes = new byte[segment.remaining()];
            segment.duplicate().get(bytes);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void requestsBecomeTheirTextTwinsInAnyFragmentation() {
        byte[] stream = concat(request(0x01, 7, setExtras(0xdeadbeef, 0), "jobs", "body".getBytes(StandardCharsets.US_ASCII)),
                request(0x0c, 8, new byte[0], "jobs/open", new byte[0]),
                request(0x11, 9, setExtras(1, 0), "jobs", new byte[0]));
        for (int step : new int[] {1, 5, stream.length}) {
            List<Decoded> units = decode(new CommandDecoder(LIMITS), stream, step);
            assertEquals(3, units.size(), "step " + step);
            Command set = (Command) units.get(0);
            assertEquals(Verb.SET, set.verb());
            assertEquals(0xdeadbeefL, set.flags(), "flags unsigned, as the text protocol's");
            assertEquals("body", new String(set.data(), StandardCharsets.US_ASCII));
            assertEquals(7, set.frame().opaque());
            Command getk = (Command) units.get(1);
            assertEquals(Verb.GETS, getk.verb(), "a pop whose reply carries the message id as its cas");
            assertTrue(getk.reads().get(0).open(), "a reliable read through the key, as in text");
            assertEquals("jobs", getk.reads().get(0).queue());
            Command setq = (Command) units.get(2);
            assertEquals(0, setq.data().length, "an empty body is a message too");
            assertTrue(setq.frame().quietOnSuccess());
        }
    }

    @Test
    void limitsAreRefusedFromTheHeaderAndTheBodySkippedUnread() {
        AtomicLong asked = new AtomicLong();
        DataMemory counting = new DataMemory() {
            @Override
            public boolean fits(int bytes) {
                asked.addAndGet(bytes);
                return true;
            }

            @Override
            public boolean tryReserve(int bytes) {
                return true;
            }

            @Override
            public void release(int bytes) {
            }
        };
        CommandDecoder decoder = new CommandDecoder(LIMITS, counting);
        List<Decoded> units = decode(decoder, concat(request(0x01, 1, setExtras(0, 0), "q", new byte[1025]),
                request(0x00, 2, new byte[0], "k".repeat(251), new byte[0]),
                request(0x00, 3, new byte[0], "q", new byte[0])), 7);
        assertEquals(3, units.size());
        assertEquals(0, asked.get(), "no memory asked for a value over the limit");
        byte[] tooLarge = encode(((Rejection) units.get(0)).reply());
        assertEquals(0x81, tooLarge[0] & 0xFF);
        assertEquals(BinaryReply.TOO_LARGE, ByteBuffer.wrap(tooLarge).getShort(6));
        assertEquals(1, ByteBuffer.wrap(tooLarge).getInt(12), "the opaque echoed");
        assertEquals(BinaryReply.INVALID, ByteBuffer.wrap(encode(((Rejection) units.get(1)).reply())).getShort(6));
        assertEquals(3, ((Command) units.get(2)).frame().opaque(), "in step after both");
    }

    @Test
    void aNoopIsAnsweredAndAQuitCloses() {
        List<Decoded> units = decode(new CommandDecoder(LIMITS), concat(request(0x0a, 5, new byte[0], "", new byte[0]),
                request(0x07, 6, new byte[0], "", new byte[0]), request(0x0a, 7, new byte[0], "", new byte[0])), 100);
        assertEquals(2, units.size(), "nothing after the quit");
        Rejection noop = (Rejection) units.get(0);
        assertEquals(24, encode(noop.reply()).length);
        assertTrue(((Rejection) units.get(1)).close());
    }

    @Test
    void repliesAreFramedForTheirRequestsAndQuietOnesLeftUnsaid() {
        byte[] key = "jobs".getBytes(StandardCharsets.US_ASCII);
        Reply hit = Reply.values(List.of(new Value("jobs", 42, "work".getBytes(StandardCharsets.US_ASCII), -1)));
        ByteBuffer getk = ByteBuffer.wrap(encode(BinaryReply.of(new BinaryFrame(0x0c, 99, key), hit)));
        assertEquals(0x81, getk.get() & 0xFF);
        assertEquals(0x0c, getk.get());
        assertEquals(4, getk.getShort(), "key length");
        assertEquals(4, getk.get(), "extras: the flags");
        getk.get();
        assertEquals(0, getk.getShort(), "status");
        assertEquals(4 + 4 + 4, getk.getInt(), "body: flags, key, value");
        assertEquals(99, getk.getInt());
        getk.getLong();
        assertEquals(42, getk.getInt());
        byte[] rest = new byte[8];
        getk.get(rest);
        assertEquals("jobswork", new String(rest, StandardCharsets.US_ASCII));
        assertEquals(4, BinaryReply.of(new BinaryFrame(0x0c, 99, key), hit).reservedBodies(), "the body stays counted");

        assertEquals(0, encode(BinaryReply.of(new BinaryFrame(0x09, 1, key), Reply.END)).length, "a quiet miss says nothing");
        assertEquals(0, encode(BinaryReply.of(new BinaryFrame(0x11, 1, key), Reply.STORED)).length, "a quiet success says nothing");
        ByteBuffer full = ByteBuffer.wrap(encode(BinaryReply.of(new BinaryFrame(0x11, 1, key), Reply.serverError("queue full"))));
        assertEquals(BinaryReply.NOT_STORED, full.getShort(6), "a quiet set's error is said");
        assertEquals(BinaryReply.NOT_FOUND, ByteBuffer.wrap(encode(BinaryReply.of(new BinaryFrame(0x00, 1, key), Reply.END))).getShort(6));

        byte[] stats = encode(BinaryReply.of(new BinaryFrame(0x10, 3, new byte[0]),
                new Reply.Stats(List.of(new Stat("pid", "12"), new Stat("curr_items", "0")))));
        assertEquals(24 + 3 + 2 + 24 + 10 + 1 + 24, stats.length, "a frame per stat, then an empty one");
        ByteBuffer version = ByteBuffer.wrap(encode(BinaryReply.of(new BinaryFrame(0x0b, 3, new byte[0]), Reply.line("VERSION 1.2.0"))));
        assertEquals(5, version.getInt(8));
        byte[] text = new byte[5];
        version.position(24);
        version.get(text);
        assertArrayEquals("1.2.0".getBytes(StandardCharsets.US_ASCII), text);
    }

    @Test
    void aWrongMagicClosesTheConnection() {
        byte[] bad = request(0x00, 1, new byte[0], "q", new byte[0]);
        bad[0] = 0x42;
        List<Decoded> units = decode(new CommandDecoder(LIMITS), concat(request(0x0a, 1, new byte[0], "", new byte[0]), bad), 100);
        assertEquals(2, units.size());
        assertInstanceOf(Rejection.class, units.get(1));
        assertTrue(((Rejection) units.get(1)).close());
        assertNull(new CommandDecoder(LIMITS).decode(ByteBuffer.wrap(new byte[] {(byte) 0x80, 0})), "a header in parts waits");
    }

    @Test
    void randomAndMutatedFramesNeverBreakTheDecoder() {
        java.util.Random random = new java.util.Random(20261207L);
        int[] opcodes = {0x00, 0x01, 0x04, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x10, 0x11, 0x05, 0x1c, 0x08, 0x3f};
        int commands = 0;
        for (int n = 0; n < 2000; n++) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int i = 0, frames = 1 + random.nextInt(6); i < frames; i++) {
                int opcode = opcodes[random.nextInt(opcodes.length)];
                byte[] extras = opcode == 0x01 || opcode == 0x11 ? setExtras(random.nextInt(), 0) : new byte[0];
                byte[] value = opcode == 0x01 || opcode == 0x11 ? new byte[random.nextInt(2000)] : new byte[0];
                stream.writeBytes(request(opcode, i, extras, "q" + random.nextInt(10), value));
            }
            byte[] bytes = stream.toByteArray();
            for (int m = random.nextInt(4); m > 0; m--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            CommandDecoder decoder = new CommandDecoder(LIMITS);
            int at = 0;
            while (at < bytes.length) {
                int length = Math.min(bytes.length - at, 1 + random.nextInt(300));
                ByteBuffer fragment = ByteBuffer.wrap(bytes, at, length);
                for (Decoded unit = decoder.decode(fragment); unit != null; unit = decoder.decode(fragment)) {
                    if (unit instanceof Command command) {
                        commands++;
                        assertTrue(command.data() == null || command.data().length <= LIMITS.maxMessageSize());
                    }
                }
                assertEquals(0, fragment.remaining(), "stream " + n + ": input left unread without a unit");
                at += length;
            }
        }
        assertTrue(commands > 2000, "mostly valid frames: " + commands);
    }

    @Test
    void withAuthenticationOnlySaslPlainComesBeforeAnythingAndTextIsRefused() {
        Credentials users = (user, password) -> user.equals("app") && new String(password, StandardCharsets.UTF_8).equals("secret");
        List<Decoded> text = decode(new CommandDecoder(LIMITS, DataMemory.UNLIMITED, users),
                "get q\r\n".getBytes(StandardCharsets.US_ASCII), 100);
        assertEquals(1, text.size());
        assertTrue(((Rejection) text.get(0)).close());
        assertEquals("CLIENT_ERROR authentication required: this server takes the binary protocol with SASL PLAIN (mcq.auth)",
                ((Reply.Line) ((Rejection) text.get(0)).reply()).text());

        byte[] none = new byte[0];
        List<Decoded> refused = decode(new CommandDecoder(LIMITS, DataMemory.UNLIMITED, users), concat(
                request(0x0b, 1, none, "", none),
                request(0x01, 2, setExtras(0, 0), "q", new byte[2000]),
                request(0x0a, 3, none, "", none)), 9);
        assertEquals(Verb.VERSION, ((Command) refused.get(0)).verb(), "a version probe before authentication, as memcached");
        assertEquals(BinaryReply.AUTH_ERROR, ((BinaryReply) ((Rejection) refused.get(1)).reply()).status(),
                "anything else is an auth error, the limits' reasons left unsaid");
        assertTrue(((Rejection) refused.get(1)).close(), "and the connection is closed");
        assertEquals(2, refused.size(), "nothing after it");

        List<Decoded> units = decode(new CommandDecoder(LIMITS, DataMemory.UNLIMITED, users), concat(
                request(0x21, 1, none, "PLAIN", new byte[3 * 255 + 3]),
                request(0x20, 2, none, "", none),
                request(0x21, 3, none, "PLAIN", "\0app\0wrong".getBytes(StandardCharsets.UTF_8)),
                request(0x21, 4, none, "PLAIN", "other\0app\0secret".getBytes(StandardCharsets.UTF_8)),
                request(0x21, 5, none, "PLAIN", "\0app\0secret".getBytes(StandardCharsets.UTF_8)),
                request(0x00, 6, none, "q", none)), 9);
        assertEquals(6, units.size());
        assertEquals(BinaryReply.AUTH_ERROR, ((BinaryReply) ((Rejection) units.get(0)).reply()).status(),
                "a login longer than PLAIN's three names is refused unread");
        byte[] mechanisms = encode(((Rejection) units.get(1)).reply());
        assertEquals("PLAIN", new String(mechanisms, 24, mechanisms.length - 24, StandardCharsets.US_ASCII));
        assertEquals(BinaryReply.AUTH_ERROR, ((BinaryReply) ((Rejection) units.get(2)).reply()).status(), "a wrong password");
        assertEquals(BinaryReply.AUTH_ERROR, ((BinaryReply) ((Rejection) units.get(3)).reply()).status(), "acting as another");
        assertEquals(BinaryReply.OK, ((BinaryReply) ((Rejection) units.get(4)).reply()).status());
        assertEquals(6, ((Command) units.get(5)).frame().opaque(), "served once authenticated");
    }

    @Test
    void aKeyIsTakenAsTheTextProtocolTakesOne() {
        List<Decoded> units = decode(new CommandDecoder(LIMITS), concat(
                request(0x01, 1, setExtras(0, 0), "q\r\nSTAT forged 1\r\nEND", new byte[1]),
                request(0x00, 2, new byte[0], "with space", new byte[0]),
                request(0x00, 3, new byte[0], "fine/open", new byte[0])), 50);
        assertEquals(BinaryReply.INVALID, ((BinaryReply) ((Rejection) units.get(0)).reply()).status(),
                "a CR or LF in a queue's name would forge lines where text replies name it");
        assertEquals(BinaryReply.INVALID, ((BinaryReply) ((Rejection) units.get(1)).reply()).status());
        assertEquals("fine", ((Command) units.get(2)).reads().get(0).queue());
    }
}
