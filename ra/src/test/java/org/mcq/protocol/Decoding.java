package org.mcq.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test helper: feeds bytes to a decoder in given fragments and describes what came out. */
final class Decoding {

    /** The limits server.xml sets by default. */
    static final Limits LIMITS = new Limits(8192, 1024 * 1024);

    private Decoding() {
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Decodes {@code input} fed as the fragments that end at each of {@code cuts}. */
    static List<String> decode(CommandDecoder decoder, byte[] input, int... cuts) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int end = i < cuts.length ? cuts[i] : input.length;
            ByteBuffer fragment = ByteBuffer.wrap(input, start, end - start).slice();
            Decoded decoded;
            while ((decoded = decoder.decode(fragment)) != null) {
                out.add(describe(decoded));
            }
            start = end;
        }
        return out;
    }

    static List<String> decode(byte[] input, int... cuts) {
        return decode(new CommandDecoder(Decoding.LIMITS), input, cuts);
    }

    static List<String> decode(String input) {
        return decode(bytes(input));
    }

    /** A readable, comparable form of a decoded unit (data blocks in hex). */
    static String describe(Decoded decoded) {
        if (decoded instanceof AwaitMemory await) {
            return "await memory " + await.bytes();
        }
        if (decoded instanceof Rejection rejection) {
            String reply = rejection.reply() == null ? "(nothing)"
                    : rejection.reply() instanceof BinaryReply binary ? "binary status " + binary.status()
                    : ((Reply.Line) rejection.reply()).text();
            return reply + (rejection.close() ? " +close" : "");
        }
        Command c = (Command) decoded;
        StringBuilder s = new StringBuilder(c.verb().wireName());
        for (String key : c.keys()) {
            s.append(' ').append(key);
        }
        if (c.verb().isStorage()) {
            s.append(" flags=").append(c.flags()).append(" data=").append(HexFormat.of().formatHex(c.data()));
        }
        if (c.verb() == Verb.CAS) {
            s.append(" cas=").append(c.casUnique());
        }
        if ((c.verb().isStorage() || c.verb() == Verb.TOUCH) && c.exptime() != 0) {
            s.append(" exptime=").append(c.exptime()); // the usual 0 left out
        }
        if (c.verb() == Verb.INCR || c.verb() == Verb.DECR) {
            s.append(" delta=").append(Long.toUnsignedString(c.delta()));
        }
        if (c.verb() == Verb.FLUSH_ALL && c.delay() != 0) {
            s.append(" delay=").append(c.delay());
        }
        if (c.verb() == Verb.VERBOSITY) {
            s.append(" level=").append(c.verbosity());
        }
        if (c.verb() == Verb.STATS && c.stats() != StatsSubcommand.GENERAL) {
            s.append(' ').append(c.stats());
        }
        if (c.noreply()) {
            s.append(" noreply");
        }
        return s.toString();
    }

    static String hex(String text) {
        return HexFormat.of().formatHex(bytes(text));
    }
}
