package org.mcq.memcache.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mcq.memcache.control.CommandLines.command;
import static org.mcq.memcache.control.CommandLines.text;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mcq.protocol.Verb;
import org.mcq.queues.api.QueueOperations;

/**
 * Rules the command handling applies for every store, checked against a store that only records
 * what it is asked: {@code mcq.max.wait.ms} caps what {@code t=} asks before any store sees it; a
 * set's exptime reaches the store as sent; what each verb's argument answers.
 */
class MemcacheCommandsTest {

    private static final long MAX_WAIT_MILLIS = 250;

    /** Each read's queue and wait, as the store was asked. */
    private final List<String> reads = new ArrayList<>();
    /** Each set's queue and exptime, as the store was asked. */
    private final List<String> sets = new ArrayList<>();
    private final Statistics statistics = new Statistics();
    private final QueueOperations store = (QueueOperations) Proxy.newProxyInstance(
            MemcacheCommandsTest.class.getClassLoader(), new Class<?>[]{QueueOperations.class}, (self, method, args) -> {
                switch (method.getName()) {
                    case "read" -> {
                        reads.add(args[0] + " " + args[4]);
                        return CompletableFuture.completedFuture(null);
                    }
                    case "openReads" -> {
                        return 0;
                    }
                    case "set" -> {
                        sets.add(args[0] + " " + args[2]);
                        return CompletableFuture.completedFuture(null);
                    }
                    case "flushAll" -> {
                        return CompletableFuture.completedFuture(null);
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                }
            });
    private final MemcacheCommands commands = new MemcacheCommands(store, statistics, "0.2", 100, MAX_WAIT_MILLIS);
    private final InProcessLink connection = new InProcessLink(commands);

    private String send(String line) throws Exception {
        return text(commands.onCommand(command(line), connection).toCompletableFuture().get(10, TimeUnit.SECONDS));
    }

    @Test
    void aWaitLongerThanTheSettingIsCappedBeforeTheStoreSeesIt() throws Exception {
        assertEquals("END\r\n", send("get q/t=9999999999"));
        assertEquals(List.of("q " + MAX_WAIT_MILLIS), reads);
    }

    @Test
    void waitsWithinTheSettingAreAskedAsSent() throws Exception {
        send("get q/t=100");
        send("get q/t=" + MAX_WAIT_MILLIS);
        send("get q");
        assertEquals(List.of("q 100", "q " + MAX_WAIT_MILLIS, "q 0"), reads);
    }

    @Test
    void eachKeyOfAGetIsCappedOnItsOwn() throws Exception {
        send("get a/open/t=9999999999 b/peek/t=5 c");
        assertEquals(List.of("a " + MAX_WAIT_MILLIS, "b 5", "c 0"), reads);
    }

    @Test
    void aSetsExptimeReachesTheStoreAsSent() throws Exception {
        for (String exptime : List.of("0", "-1", "2147483647", "-0", "007")) {
            assertEquals("STORED\r\n", text(commands.onCommand(command("set q 0 " + exptime + " 1", "x"), connection)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS)));
        }
        assertEquals(List.of("q 0", "q -1", "q 2147483647", "q 0", "q 7"), sets);
    }

    @Test
    void statsAnswersItsSubcommandsAndCountsEvenTheUnknownOnes() throws Exception {
        for (String empty : List.of("settings", "items", "slabs", "sizes")) {
            assertEquals("END\r\n", send("stats " + empty), empty);
        }
        assertEquals("RESET\r\n", send("stats reset"));
        for (String unknown : List.of("stats Queue", "stats queue x", "stats detail on", "stats noreply")) {
            assertEquals("ERROR\r\n", send(unknown), unknown);
        }
        assertEquals(9, statistics.commands(Verb.STATS));
    }

    @Test
    void theOtherArgumentsAreAnsweredWithoutAStoreToHonourThem() throws Exception {
        assertEquals("OK\r\n", send("verbosity 1"));
        assertEquals("OK\r\n", send("verbosity loud"));
        assertEquals("OK\r\n", send("flush_all 10"));
        assertEquals("OK\r\n", send("flush_all -1"));
        assertEquals("NOT_FOUND\r\n", send("incr q 18446744073709551615"));
        assertEquals("NOT_FOUND\r\n", send("decr q 1"));
        assertEquals("NOT_FOUND\r\n", send("touch q -1"));
    }
}
