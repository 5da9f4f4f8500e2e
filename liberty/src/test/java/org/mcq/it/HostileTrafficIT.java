package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Random, mutated and truncated commands, absurd lengths and half-sent bodies over several
 * connections (reconnecting whenever the server closes one), beside a canary connection that stores
 * and pops numbered messages with flags and must stay in step throughout. Afterwards the server
 * still answers and its log has no OutOfMemoryError.
 */
class HostileTrafficIT {

    private static final long RUN_MILLIS = 20_000;
    private static final int FUZZERS = 6;
    private static final String[] TEMPLATES = {
        "set fz%d 0 0 5\r\nhello\r\n", "get fz%d\r\n", "gets fz%d fz1 fz2\r\n", "delete fz%d\r\n",
        "add fz%d 0 0 2\r\nab\r\n", "cas fz%d 0 0 1 99\r\nx\r\n", "incr fz%d 5\r\n", "touch fz%d 10\r\n",
        "stats\r\n", "stats queue\r\n", "version\r\n", "verbosity 1\r\n", "set fz%d 4294967295 0 3 noreply\r\nabc\r\n",
        "set fz%d 0 0 99999999999\r\n", "set fz%d 0 0 -1\r\n", "set fz%d 0 0 2000000\r\n", "get " + "k".repeat(251) + "\r\n",
        "set fz%d 0 0 10\r\nshort\r\n", "get\r\n", "\r\n", "set fz%d 0 0 3\r\nabcdef\r\n", "quit\r\n",
    };

    @Test
    void theServerStaysInStepAndAnswersThroughHostileTraffic() throws Exception {
        try (LibertyServer server = LibertyServer.start("hostile", Map.of("MCQ_MAX_MESSAGE_SIZE", "1048576"))) {
            AtomicLong fuzzBytes = new AtomicLong();
            AtomicLong reconnects = new AtomicLong();
            List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
            long end = System.currentTimeMillis() + RUN_MILLIS;
            List<Thread> fuzzers = new ArrayList<>();
            for (int i = 0; i < FUZZERS; i++) {
                long seed = 1000L + i;
                Thread fuzzer = new Thread(() -> fuzz(server.port(), new Random(seed), end, sockets, fuzzBytes,
                        reconnects), "fuzzer-" + i);
                fuzzer.start();
                fuzzers.add(fuzzer);
            }
            long canaryPairs = 0;
            try (MemcacheClient canary = server.client()) {
                while (System.currentTimeMillis() < end) {
                    long n = canaryPairs++;
                    byte[] body = ("canary-" + n + "\r\nEND\r\n").getBytes(StandardCharsets.ISO_8859_1);
                    assertEquals("STORED", canary.set("hostile-canary", n & 0xFFFF_FFFFL, body), "set " + n);
                    MemcacheClient.Item item = canary.get("hostile-canary");
                    assertTrue(item != null && item.flags() == (n & 0xFFFF_FFFFL)
                            && new String(item.body(), StandardCharsets.ISO_8859_1).equals("canary-" + n + "\r\nEND\r\n"),
                            "canary " + n + " out of step: " + (item == null ? null : item.text()));
                }
            }
            synchronized (sockets) {
                for (Socket socket : sockets) {
                    socket.close(); // a fuzzer blocked in a write to a server that does not read ends here
                }
            }
            for (Thread fuzzer : fuzzers) {
                fuzzer.join(30_000);
                assertFalse(fuzzer.isAlive(), fuzzer.getName() + " is stuck");
            }
            try (MemcacheClient after = server.client()) {
                assertTrue(after.call("version").startsWith("VERSION "));
                assertEquals("STORED", after.set("hostile-after", "ok"));
                assertEquals("ok", after.getText("hostile-after"));
                // the server notices the fuzzers' closes on its own time; then everything they held is back
                assertTrue(Eventually.holds(Duration.ofSeconds(30),
                        () -> after.stats(null).get("client_memory_used").equals("0")),
                        "client memory not given back: " + after.stats(null));
                System.out.printf("HOSTILE %d s: %d fuzz bytes on %d connections (%d reconnects), canary %d pairs "
                        + "in step; client memory back to 0%n", RUN_MILLIS / 1000, fuzzBytes.get(), FUZZERS,
                        reconnects.get(), canaryPairs);
            }
            assertEquals(200, server.health("ready"));
            assertFalse(server.messagesLog().contains("OutOfMemoryError"), "OutOfMemoryError in messages.log");
        }
    }

    /** Sends hostile input until the deadline, reading and discarding replies, reconnecting when closed. */
    private static void fuzz(int port, Random random, long end, List<Socket> sockets, AtomicLong bytes,
                             AtomicLong reconnects) {
        while (System.currentTimeMillis() < end) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                sockets.add(socket);
                Thread reader = discardReplies(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                while (System.currentTimeMillis() < end && reader.isAlive()) {
                    byte[] chunk = hostileChunk(random);
                    out.write(chunk);
                    out.flush();
                    bytes.addAndGet(chunk.length);
                    if (random.nextInt(50) == 0) {
                        break; // hang up mid-stream, maybe in a body
                    }
                }
            } catch (IOException closedByServer) {
                // a line too long, the binary magic, quit: reconnect
            }
            reconnects.incrementAndGet();
        }
    }

    private static byte[] hostileChunk(Random random) {
        switch (random.nextInt(6)) {
            case 0 -> {
                byte[] noise = new byte[1 + random.nextInt(300)];
                random.nextBytes(noise);
                return noise;
            }
            case 1 -> {
                byte[] command = template(random);
                for (int i = random.nextInt(4); i >= 0; i--) {
                    command[random.nextInt(command.length)] = (byte) random.nextInt(256);
                }
                return command;
            }
            case 2 -> {
                byte[] command = template(random);
                return Arrays.copyOf(command, random.nextInt(command.length) + 1);
            }
            case 3 -> {
                // a body announced large and sent in part
                int announced = 1 + random.nextInt(1_048_576);
                byte[] part = new byte[random.nextInt(Math.min(announced, 200_000))];
                byte[] header = ("set fz-half 0 0 " + announced + "\r\n").getBytes(StandardCharsets.US_ASCII);
                byte[] chunk = Arrays.copyOf(header, header.length + part.length);
                return chunk;
            }
            default -> {
                return template(random);
            }
        }
    }

    private static byte[] template(Random random) {
        String template = TEMPLATES[random.nextInt(TEMPLATES.length)];
        return String.format(template, random.nextInt(10)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Thread discardReplies(InputStream in) {
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[65536];
            try {
                while (in.read(buffer) >= 0) {
                    // replies to noise are not checked; the canary checks the server's state
                }
            } catch (IOException e) {
                // closed
            }
        }, "fuzz-reader");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }
}
