package org.mcq.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mcq.protocol.Decoding.decode;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Kestrel's options on get keys, with MemcacheQ's names that hold '/' kept as they are. */
class ReadKeyTest {

    @Test
    void trailingOptionsAreOptionsInAnyOrder() {
        assertEquals(new ReadKey("jobs/open", "jobs", true, false, false, false, 0), ReadKey.parse("jobs/open"));
        assertEquals(new ReadKey("jobs/close/open", "jobs", true, true, false, false, 0), ReadKey.parse("jobs/close/open"));
        assertEquals(new ReadKey("jobs/open/close", "jobs", true, true, false, false, 0), ReadKey.parse("jobs/open/close"));
        assertEquals(new ReadKey("a/b/t=500/open", "a/b", true, false, false, false, 500), ReadKey.parse("a/b/t=500/open"));
        assertEquals(new ReadKey("q/peek/t=20", "q", false, false, false, true, 20), ReadKey.parse("q/peek/t=20"));
        assertEquals(new ReadKey("q/abort", "q", false, false, true, false, 0), ReadKey.parse("q/abort"));
    }

    @Test
    void namesStayData() {
        assertEquals(ReadKey.plain("sub/dir"), ReadKey.parse("sub/dir"));
        assertEquals(ReadKey.plain("jobs/opne"), ReadKey.parse("jobs/opne"), "a typo names another queue, it is no option");
        assertEquals(ReadKey.plain("/open"), ReadKey.parse("/open"), "a name is never empty");
        assertEquals(ReadKey.plain("open"), ReadKey.parse("open"));
        assertEquals(ReadKey.plain("jobs/"), ReadKey.parse("jobs/"));
        assertEquals("open/x", ReadKey.parse("open/x/open").queue(), "only trailing segments are options");
        assertEquals(new ReadKey("q/t=0", "q", false, false, false, false, 0), ReadKey.parse("q/t=0"),
                "t=0 waits for nothing: a plain pop of q");
    }

    @Test
    void malformedOrContradictoryOptionsAreRefused() {
        for (String key : List.of("q/t=abc", "q/t=-1", "q/t=", "q/t=99999999999", "q/t=5/t=6", "q/open/open",
                "q/peek/open", "q/close/peek", "q/abort/peek", "q/abort/open", "q/close/abort")) {
            assertNull(ReadKey.parse(key), key);
        }
    }

    @Test
    void theDecoderRefusesABadOptionAndStaysInStep() {
        assertEquals(List.of("CLIENT_ERROR bad command line format", "get q/open"),
                decode("get a/t=x q/open\r\nget q/open\r\n"));
    }

    @Test
    void kestrelsQueueCommandsAndASetsExptimeAreDecoded() {
        assertEquals(List.of("flush jobs", "flush_expired jobs", "dump_stats", "dump_stats a b",
                "set q flags=0 data=78 exptime=-1", "ERROR", "CLIENT_ERROR bad command line format"),
                decode("flush jobs\r\nflush_expired jobs\r\ndump_stats\r\ndump_stats a b\r\nset q 0 -1 1\r\nx\r\n"
                        + "flush\r\nflush_expired bad\u0001key\r\n"));
    }

    @Test
    void aCommandWaitsWhenOneOfItsReadsDoes() {
        Command command = Command.retrieval(Verb.GET, List.of(ReadKey.parse("a/open"), ReadKey.parse("b/t=100")));
        assertTrue(command.waits());
        assertEquals(List.of("a/open", "b/t=100"), command.keys());
        assertFalse(Command.retrieval(Verb.GET, List.of(ReadKey.parse("a/open/close"))).waits());
    }
}
