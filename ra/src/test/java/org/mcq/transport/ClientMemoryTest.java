package org.mcq.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ClientMemoryTest {

    private static final long LIMIT = 1024 * 1024;
    private static final int LARGE = ClientMemory.SMALL + 1;

    private final List<Runnable> wakeUps = new ArrayList<>();
    private final ClientMemory memory = new ClientMemory(LIMIT, wakeUps::add);
    private final List<String> granted = new ArrayList<>();

    private void runWakeUps() {
        List<Runnable> due = new ArrayList<>(wakeUps);
        wakeUps.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void largeRequestsFillThreeQuartersAndSmallOnesTheRest() {
        int large = 0;
        while (memory.tryReserve(LARGE)) {
            large++;
        }
        assertTrue(memory.used() <= LIMIT / 4 * 3, "large ones stop at three quarters: " + memory.used());
        assertEquals(LIMIT / 4 * 3 / LARGE, large);
        assertTrue(memory.tryReserve(ClientMemory.SMALL), "the last quarter is for small requests");
        assertFalse(memory.fits(LIMIT / 4 * 3 + 1), "a block over three quarters can never be granted");
        assertTrue(memory.fits(LIMIT / 4 * 3));
    }

    @Test
    void waitersAreGrantedInOrderAsMemoryIsReleasedAndSmallOnesMayPass() {
        assertTrue(memory.tryReserve(LIMIT / 4 * 3));
        memory.await(LARGE, () -> granted.add("large-1"));
        memory.await(LARGE, () -> granted.add("large-2"));
        assertFalse(memory.tryReserve(LARGE), "a new large request queues behind the waiting ones");
        memory.await(100, () -> granted.add("small"));
        runWakeUps();
        assertEquals(List.of("small"), granted, "a small one fits in the last quarter at once");
        memory.release(100);

        memory.release(LARGE);
        runWakeUps();
        assertEquals(List.of("small", "large-1"), granted);
        memory.release(LARGE);
        runWakeUps();
        assertEquals(List.of("small", "large-1", "large-2"), granted);
        assertEquals(2, memory.waits(), "the two large ones had to wait");
    }

    @Test
    void aCancelledWaiterIsNeverGranted() {
        assertTrue(memory.tryReserve(LIMIT / 4 * 3));
        ClientMemory.Waiter waiter = memory.await(LARGE, () -> granted.add("cancelled"));
        assertTrue(memory.cancel(waiter));
        memory.release(LIMIT / 4 * 3);
        runWakeUps();
        assertEquals(List.of(), granted);
        assertEquals(0, memory.used());
    }

    @Test
    void aClosedConnectionGivesBackEverythingItHeld() {
        ConnectionMemory connection = new ConnectionMemory(memory);
        assertTrue(connection.tryReserve(1000));
        assertTrue(connection.reserveReply(500));
        connection.sending(600, 500);
        assertEquals(1600, memory.used());
        assertTrue(connection.mustDrain() == memory.over());
        connection.close();
        assertEquals(0, memory.used());
        connection.sent(600);
        connection.release(1000);
        assertEquals(0, memory.used(), "releases after the close are ignored");
    }

    @Test
    void aReplyNeverTakesTheDecodersGrant() {
        assertTrue(memory.tryReserve(LIMIT / 4 * 3));
        ConnectionMemory connection = new ConnectionMemory(memory);
        connection.await(LARGE);
        memory.release(LIMIT / 4 * 3);
        runWakeUps(); // granted: LARGE bytes wait for the decoder
        long before = memory.used();
        assertTrue(connection.reserveReply(LARGE));
        assertEquals(before + LARGE, memory.used(), "the reply reserved its own bytes");
        assertTrue(connection.tryReserve(LARGE), "the grant is still the decoder's");
        assertEquals(before + LARGE, memory.used());
    }

    @Test
    void aGrantArrivingAfterTheCloseIsGivenBack() {
        assertTrue(memory.tryReserve(LIMIT / 4 * 3));
        ConnectionMemory connection = new ConnectionMemory(memory);
        connection.await(LARGE);
        memory.release(LIMIT / 4 * 3); // granted: the wake-up is queued
        connection.close();
        runWakeUps();
        assertEquals(0, memory.used());
    }

    @Test
    void aWaitEndsWhenItsConnectionCloses() {
        assertTrue(memory.tryReserve(LIMIT / 4 * 3));
        ConnectionMemory connection = new ConnectionMemory(memory);
        CompletableFuture<Void> wait = connection.await(LARGE);
        connection.close(); // the client is gone while it waits: its session must not wait for ever
        assertTrue(wait.isDone());
        memory.release(LIMIT / 4 * 3);
        runWakeUps();
        assertEquals(0, memory.used(), "nothing was granted to the closed connection");
    }

    @Test
    void aWaitAskedForAfterTheCloseEndsAtOnce() {
        assertTrue(memory.tryReserve(LIMIT / 4 * 3));
        ConnectionMemory connection = new ConnectionMemory(memory);
        connection.close();
        assertTrue(connection.await(LARGE).isDone());
        memory.release(LIMIT / 4 * 3);
        runWakeUps();
        assertEquals(0, memory.used());
    }
}
