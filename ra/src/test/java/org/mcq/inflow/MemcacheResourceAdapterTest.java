package org.mcq.inflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import jakarta.resource.ResourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcq.protocol.Reply;

/**
 * A port another program holds: the adapter says so once, tries again without a word above FINE,
 * and listens as soon as the port is free. On the real server, {@code HealthIT} does the same with
 * memcached on the port.
 */
class MemcacheResourceAdapterTest {

    private static final long RETRY_MILLIS = 20;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("org.mcq");
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level levelBefore;

    @BeforeEach
    void record() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.FINE);
        logger.addHandler(recorder);
    }

    @AfterEach
    void stopRecording() {
        logger.removeHandler(recorder);
        logger.setLevel(levelBefore);
    }

    @Test
    void aPortHeldByAnotherProgramIsTakenOnceItIsFreeWithOneWarning() throws Exception {
        MemcacheResourceAdapter adapter = new MemcacheResourceAdapter(RETRY_MILLIS);
        adapter.start(null);
        try (ServerSocket other = taken()) {
            int port = other.getLocalPort();

            activate(adapter, MemcacheActivationSpecTest.shipped(), port);

            assertNull(adapter.boundAddress());
            assertEquals("cannot listen on 127.0.0.1:" + port + ": Address already in use; trying again every 20 ms",
                    adapter.failure());
            assertTrue(adapter.waitsForAddress());
            await(() -> count(Level.FINE, "mcq still cannot listen on 127.0.0.1:" + port) >= 3,
                    "never tried again: " + messages());

            other.close();
            await(() -> adapter.boundAddress() != null, "never took the free port: " + messages());
            assertEquals("127.0.0.1:" + port, adapter.boundAddress());
            assertNull(adapter.failure());
            assertFalse(adapter.waitsForAddress());
            try (Socket client = new Socket("127.0.0.1", port)) {
                assertTrue(client.isConnected());
            }
            assertEquals(1, count(Level.WARNING, "mcq cannot listen on 127.0.0.1:" + port), messages());
            assertEquals(1, count(Level.INFO, "mcq listening on 127.0.0.1:" + port), messages());
            assertEquals(0, count(Level.INFO, "listener on 127.0.0.1:" + port + " stopped"), messages());
        } finally {
            adapter.stop();
        }
    }

    @Test
    void aDeactivationEndsTheAttempts() throws Exception {
        MemcacheResourceAdapter adapter = new MemcacheResourceAdapter(RETRY_MILLIS);
        // a second adapter trying a port that stays taken: its attempts show that time passed
        MemcacheResourceAdapter control = new MemcacheResourceAdapter(RETRY_MILLIS);
        adapter.start(null);
        control.start(null);
        try (ServerSocket other = taken(); ServerSocket stays = taken()) {
            int port = other.getLocalPort();
            Activated activated = activate(adapter, MemcacheActivationSpecTest.shipped(), port);
            activate(control, MemcacheActivationSpecTest.shipped(), stays.getLocalPort());

            adapter.endpointDeactivation(activated.factory(), activated.spec());
            other.close();
            String controlAttempt = "mcq still cannot listen on 127.0.0.1:" + stays.getLocalPort();
            long before = count(Level.FINE, controlAttempt);
            await(() -> count(Level.FINE, controlAttempt) >= before + 3, "the control never tried again: " + messages());

            assertNull(adapter.boundAddress(), messages());
            try (ServerSocket free = new ServerSocket()) {
                free.bind(new InetSocketAddress("127.0.0.1", port)); // nobody took it
            }
        } finally {
            adapter.stop();
            control.stop();
        }
    }

    @Test
    void aListenerThatWaitingWouldNotMendFailsTheActivationWithoutAttempts() throws Exception {
        MemcacheResourceAdapter adapter = new MemcacheResourceAdapter(RETRY_MILLIS);
        adapter.start(null);
        try {
            Path notSocket = Files.createTempFile("mcq-not-a-socket", ".txt"); // a file of the operator's own
            MemcacheActivationSpec spec = MemcacheActivationSpecTest.shipped();
            spec.setSocketPath(notSocket.toString());

            ResourceException failure = assertThrows(ResourceException.class, () -> activate(adapter, spec, 0));

            assertTrue(failure.getMessage().startsWith("the unix socket " + notSocket + " cannot be listened on: "),
                    failure.getMessage());
            assertTrue(Files.isRegularFile(notSocket), "left as it was");
            Files.delete(notSocket);
            assertEquals(failure.getMessage(), adapter.failure());
            assertFalse(adapter.waitsForAddress(), "waiting would not mend it");
            assertNull(adapter.boundAddress(), "the TCP port it had bound is let go with the rest");
            assertEquals(0, count(Level.WARNING, "trying again"), messages());
        } finally {
            adapter.stop();
        }
    }

    private record Activated(EndpointPoolTest.Factory factory, MemcacheActivationSpec spec) {
    }

    /** Activates an endpoint whose bean stores whatever it is given, listening on {@code port}. */
    private static Activated activate(MemcacheResourceAdapter adapter, MemcacheActivationSpec spec, int port)
            throws ResourceException {
        spec.setPort(port);
        EndpointPoolTest.Factory factory = new EndpointPoolTest.Factory(false,
                command -> CompletableFuture.completedFuture(Reply.STORED));
        adapter.endpointActivation(factory, spec);
        return new Activated(factory, spec);
    }

    private static ServerSocket taken() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress("127.0.0.1", 0));
        return socket;
    }

    private long count(Level level, String text) {
        return records.stream().filter(r -> r.getLevel().equals(level) && message(r).contains(text)).count();
    }

    private static String message(LogRecord record) {
        return record.getMessage();
    }

    private String messages() {
        return records.stream().map(r -> r.getLevel() + " " + message(r)).toList().toString();
    }

    private static void await(BooleanSupplier condition, String failure) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, failure);
            Thread.sleep(5); // between polls of the adapter's state
        }
    }
}
