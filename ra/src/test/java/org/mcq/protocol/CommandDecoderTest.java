package org.mcq.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mcq.protocol.Decoding.bytes;
import static org.mcq.protocol.Decoding.decode;
import static org.mcq.protocol.Decoding.hex;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandDecoderTest {

    /** Streams covering every command; each is decoded whole, split at every byte, and byte by byte. */
    private static final List<String> STREAMS = List.of(
            "set q 0 0 5\r\nhello\r\n",
            "set q 4294967295 0 10 noreply\r\n\r\n\0\r\nEND\r\n\r\n",
            "add q 1 0 1\r\nx\r\nreplace q 1 0 1\r\nx\r\nappend q 0 0 0\r\n\r\nprepend q 0 0 1\r\ny\r\n",
            "cas q 0 0 2 77\r\nab\r\ncas q 0 0 2 78 noreply\r\ncd\r\n",
            "get q\r\nget a b a\r\ngets q r\r\n",
            "delete q\r\ndelete q 0\r\ndelete q noreply\r\ndelete q 0 noreply\r\n",
            "incr q 1\r\ndecr q 18446744073709551615 noreply\r\ntouch q 10\r\n",
            "stats\r\nstats queue\r\nstats reset\r\nflush_all\r\nflush_all 10 noreply\r\n",
            "version\r\nverbosity 1\r\nverbosity 1 noreply\r\nquit\r\ndb_checkpoint\r\ndb_archive\r\n",
            "get q\nset q 0 0 1\nz\r\nbogus\r\n\r\n",
            "set q 0 0 3\r\nhello\r\nget q\r\n",
            "set q 0 0 -1\r\nset q x 0 1\r\ny\r\nset q 0 0 2000000\r\n");

    @Test
    void everyStreamDecodesTheSameInAnyFragmentation() {
        for (String stream : STREAMS) {
            byte[] input = bytes(stream);
            List<String> whole = decode(input);
            assertFalse(whole.isEmpty(), stream);
            for (int cut = 1; cut < input.length; cut++) {
                assertEquals(whole, decode(input, cut), "split at " + cut + " of " + stream);
            }
            int[] everyByte = new int[input.length - 1];
            for (int i = 0; i < everyByte.length; i++) {
                everyByte[i] = i + 1;
            }
            assertEquals(whole, decode(input, everyByte), "byte by byte: " + stream);
        }
    }

    @Test
    void aFragmentedCommandIsOneCommand() {
        assertEquals(List.of("get foo"), decode(bytes("get foo\r\n"), 5));
    }

    @Test
    void pipelinedCommandsYieldOneUnitEach() {
        assertEquals(List.of("set q flags=0 data=" + hex("hello"), "get q", "ERROR", "version"),
                decode("set q 0 0 5\r\nhello\r\nget q\r\nbogus\r\nversion\r\n"));
    }

    @Test
    void dataBlocksAreBinarySafe() {
        String body = "\0\r\nEND\r\nget x\r\n\u00ff";
        assertEquals(List.of("set q flags=7 data=" + hex(body)),
                decode("set q 7 0 " + body.length() + "\r\n" + body + "\r\n"));
    }

    @Test
    void aBareNewlineEndsACommandLine() {
        assertEquals(List.of("get q", "set q flags=0 data=" + hex("z")), decode("get q\nset q 0 0 1\nz\r\n"));
    }

    @Test
    void commandsAreCaseSensitive() {
        assertEquals(List.of("ERROR", "ERROR"), decode("GET q\r\nSet q 0 0 1\r\n"));
    }

    @Test
    void flagsAreUnsigned32Bit() {
        assertEquals(List.of("set q flags=4294967295 data=" + hex("x")), decode("set q 4294967295 0 1\r\nx\r\n"));
        assertEquals(List.of("CLIENT_ERROR bad command line format", "get q"), decode("set q 4294967296 0 1\r\nx\r\nget q\r\n"));
        assertEquals(List.of("CLIENT_ERROR bad command line format", "get q"), decode("set q -1 0 1\r\nx\r\nget q\r\n"));
        assertEquals(List.of("CLIENT_ERROR bad command line format", "get q"), decode("set q abc 0 1\r\nx\r\nget q\r\n"));
    }

    @Test
    void aBadLengthIsRefusedWithoutReadingData() {
        for (String length : List.of("-1", "-3", "abc", "4294967298", "2147483647", "1.5")) {
            assertEquals(List.of("CLIENT_ERROR bad command line format", "get q"),
                    decode("set q 0 0 " + length + "\r\nget q\r\n"), length);
        }
    }

    @Test
    void anOversizedBodyIsSwallowedUnbufferedAndTheStreamStaysInStep() {
        CommandDecoder decoder = new CommandDecoder(new Limits(8192, 1024));
        ByteBuffer header = ByteBuffer.wrap(bytes("set q 0 0 100000000\r\n"));
        assertEquals("SERVER_ERROR object too large for cache", Decoding.describe(decoder.decode(header)));
        byte[] chunk = new byte[65536];
        long fed = 0;
        while (fed < 100_000_000) {
            int n = (int) Math.min(chunk.length, 100_000_000 - fed);
            assertNull(decoder.decode(ByteBuffer.wrap(chunk, 0, n)));
            assertTrue(decoder.reservedBytes() < 16384, "buffered " + decoder.reservedBytes());
            fed += n;
        }
        assertEquals(List.of("get q"), decode(decoder, bytes("\r\nget q\r\n")));
    }

    /** A budget with room for a set number of bytes, counting what is held. */
    private static final class Budget implements DataMemory {
        long room;
        long held;

        Budget(long room) {
            this.room = room;
        }

        @Override
        public boolean fits(int bytes) {
            return bytes <= 1000;
        }

        @Override
        public boolean tryReserve(int bytes) {
            if (held + bytes > room) {
                return false;
            }
            held += bytes;
            return true;
        }

        @Override
        public void release(int bytes) {
            held -= bytes;
        }
    }

    @Test
    void aDataBlockIsReadOnlyOnceItsMemoryIsGranted() {
        Budget budget = new Budget(10);
        CommandDecoder decoder = new CommandDecoder(Decoding.LIMITS, budget);
        ByteBuffer in = ByteBuffer.wrap(bytes("set q 0 0 20\r\n01234567890123456789\r\nget q\r\n"));
        assertEquals(new AwaitMemory(20), decoder.decode(in));
        assertEquals(128, decoder.reservedBytes(), "the line buffer only: nothing allocated for the block");
        assertEquals(new AwaitMemory(20), decoder.decode(in), "still no room");
        budget.room = 20;
        assertEquals("set q flags=0 data=" + hex("01234567890123456789"), Decoding.describe(decoder.decode(in)));
        assertEquals(20, budget.held, "the block's reservation goes with the command");
        assertEquals("get q", Decoding.describe(decoder.decode(in)));
    }

    @Test
    void aBlockThatCouldNeverFitIsRefusedAndSkippedUnbuffered() {
        Budget budget = new Budget(10_000);
        CommandDecoder decoder = new CommandDecoder(Decoding.LIMITS, budget);
        assertEquals(List.of("SERVER_ERROR out of memory storing object", "get q"),
                decode(decoder, bytes("set q 0 0 1001\r\n" + "x".repeat(1001) + "\r\nget q\r\n")));
        assertEquals(0, budget.held);
    }

    @Test
    void aBadChunkGivesItsMemoryBack() {
        Budget budget = new Budget(100);
        CommandDecoder decoder = new CommandDecoder(Decoding.LIMITS, budget);
        assertEquals(List.of("CLIENT_ERROR bad data chunk", "get q"), decode(decoder, bytes("set q 0 0 3\r\nhello\r\nget q\r\n")));
        assertEquals(0, budget.held);
    }

    @Test
    void aDataBlockNotEndedByCrlfIsABadChunkAndTheNextLineIsACommand() {
        assertEquals(List.of("CLIENT_ERROR bad data chunk", "get q"), decode("set q 0 0 3\r\nhello\r\nget q\r\n"));
        assertEquals(List.of("CLIENT_ERROR bad data chunk", "get q"), decode("set q 0 0 3\r\nabc\nget q\r\n"));
        assertEquals(List.of("CLIENT_ERROR bad data chunk", "get q"), decode("set q 0 0 3\r\nabc\rxx\r\nget q\r\n"));
    }

    @Test
    void keysUpTo250BytesWorkAndLongerOnesAreRefusedBeforeAnything() {
        String key250 = "k".repeat(250);
        assertEquals(List.of("set " + key250 + " flags=0 data=" + hex("x")), decode("set " + key250 + " 0 0 1\r\nx\r\n"));
        String key251 = "k".repeat(251);
        assertEquals(List.of("CLIENT_ERROR bad command line format", "get q"), decode("set " + key251 + " 0 0 1\r\nx\r\nget q\r\n"));
        assertEquals(List.of("CLIENT_ERROR bad command line format"), decode("get a b " + key251 + " c\r\n"));
    }

    @Test
    void keysMayHoldAnyByteButControlCharacters() {
        assertEquals(List.of("get ../../etc/passwd", "get caf\u00e9/\u00ff"), decode("get ../../etc/passwd\r\nget caf\u00e9/\u00ff\r\n"));
        assertEquals(List.of("CLIENT_ERROR bad command line format"), decode("get a\u0001b\r\n"));
    }

    @Test
    void aLineOverTheLimitIsRefusedAndClosesTheConnection() {
        CommandDecoder decoder = new CommandDecoder(new Limits(64, 1024));
        byte[] endless = bytes("get " + "k".repeat(100));
        assertEquals(List.of("CLIENT_ERROR line too long +close"), decode(decoder, endless));
        assertTrue(decoder.reservedBytes() <= 65);
        assertEquals(List.of(), decode(decoder, bytes("\r\nget q\r\n")), "nothing after the refusal");
        assertEquals(List.of("get " + "k".repeat(60)), decode(new CommandDecoder(new Limits(64, 1024)),
                bytes("get " + "k".repeat(60) + "\r\n")), "a line exactly at the limit");
    }

    @Test
    void aBinaryRequestAfterTextOnesClosesWithoutAReply() {
        byte[] text = bytes("version\r\n");
        byte[] both = new byte[text.length + 8];
        System.arraycopy(text, 0, both, 0, text.length);
        System.arraycopy(new byte[] {(byte) 0x80, 0x01, 0, 5, 0, 0, 0, 0}, 0, both, text.length, 8);
        assertEquals(List.of("version", "(nothing) +close"), decode(both));
    }

    @Test
    void noreplyIsRecognisedOnlyAsTheLastToken() {
        assertEquals(List.of("set q flags=0 data=" + hex("x") + " noreply", "delete q noreply", "flush_all noreply",
                        "verbosity level=1 noreply"),
                decode("set q 0 0 1 noreply\r\nx\r\ndelete q noreply\r\nflush_all noreply\r\nverbosity 1 noreply\r\n"));
    }

    @Test
    void wrongArgumentCountsAreErrors() {
        assertEquals(List.of("ERROR", "ERROR", "ERROR", "ERROR", "ERROR"),
                decode("get\r\nset q 0 0\r\ndelete\r\nversion 2\r\nincr q\r\n"));
    }

    @Test
    void eachVerbsNumberArrivesParsed() {
        assertEquals(List.of("set q flags=1 data=" + hex("x") + " exptime=-2147483647", "touch q exptime=60",
                        "incr q delta=18446744073709551615", "decr q delta=0", "flush_all delay=-10",
                        "verbosity level=2147483647", "verbosity level=-1", "verbosity level=-1"),
                decode("set q 1 -2147483647 1\r\nx\r\ntouch q 60\r\nincr q 18446744073709551615\r\ndecr q 0\r\n"
                        + "flush_all -10\r\nverbosity 2147483647\r\nverbosity 2147483648\r\nverbosity loud\r\n"));
    }

    @Test
    void badNumbersAreRefusedByTheParser() {
        assertEquals(List.of("CLIENT_ERROR bad command line format", "CLIENT_ERROR bad command line format",
                        "CLIENT_ERROR invalid exptime argument", "CLIENT_ERROR invalid exptime argument",
                        "CLIENT_ERROR invalid numeric delta argument", "CLIENT_ERROR invalid numeric delta argument",
                        "CLIENT_ERROR bad command line format", "CLIENT_ERROR bad command line format"),
                decode("set q 0 2147483648 1\r\nx\r\nset q 0 -2147483648 1\r\nx\r\ntouch q 1.5\r\ntouch q -\r\n"
                        + "incr q 18446744073709551616\r\ndecr q -1\r\nflush_all soon\r\nflush_all 99999999999\r\n"));
    }

    @Test
    void statsSubcommandsAreKnownByTheirExactWord() {
        assertEquals(List.of("stats", "stats QUEUE", "stats RESET", "stats SETTINGS", "stats ITEMS", "stats SLABS",
                        "stats SIZES", "stats OTHER", "stats OTHER", "stats OTHER"),
                decode("stats\r\nstats queue\r\nstats reset\r\nstats settings\r\nstats items\r\nstats slabs\r\n"
                        + "stats sizes\r\nstats Queue\r\nstats queue x\r\nstats detail on\r\n"));
    }

    @Test
    void deleteWithATimeOtherThanZeroIsRefused() {
        assertEquals(List.of("CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]"),
                decode("delete q 10\r\n"));
    }

    @Test
    void runsOfSpacesSeparateTokensLikeOne() {
        assertEquals(List.of("get a b"), decode("get  a   b \r\n"));
    }

    @Test
    void isPartialTellsWhetherBytesAreHeld() {
        CommandDecoder decoder = new CommandDecoder(Decoding.LIMITS);
        List<String> out = new ArrayList<>(decode(decoder, bytes("set q 0 0 5\r\nhel")));
        assertTrue(out.isEmpty());
        assertTrue(decoder.isPartial());
        out.addAll(decode(decoder, bytes("lo\r\n")));
        assertFalse(decoder.isPartial());
        assertEquals(1, out.size());
    }
}
