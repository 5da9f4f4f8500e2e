package org.mcq.queues.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A connection's open reads on this server: an open read past its timeout is counted once however
 * often it is looked at ({@code open_read_timeouts}), and leaves wherever it stands among the others.
 */
class LeasesTest {

    private static final String QUEUE = "q";
    private static final long NOW = 1_000_000;

    private final Leases leases = new Leases();
    private final Object reader = new Object();
    private long ids;

    /** An open read taken, holding its lease until {@code expiresAt}. */
    private CompletableFuture<Lease> taken(long expiresAt) {
        CompletableFuture<Lease> entry = leases.open(reader, QUEUE);
        entry.complete(new Lease(QUEUE, ++ids, 7, expiresAt, System.nanoTime()));
        return entry;
    }

    @Test
    void aTimedOutReadIsCountedOnceHoweverOftenItIsCounted() {
        taken(NOW - 1);
        for (int open = 0; open < 5; open++) {
            assertEquals(0, leases.count(reader, QUEUE, NOW), "a timed-out read holds nothing");
        }
        assertEquals(1, leases.timedOut(), "one read timed out, whatever the number of opens that looked");
    }

    @Test
    void settlingAReadAlreadyCountedAsTimedOutCountsNothingMore() {
        CompletableFuture<Lease> late = taken(NOW - 1);
        assertEquals(0, leases.count(reader, QUEUE, NOW));
        assertFalse(leases.take(reader, QUEUE, late, NOW), "a close finds nothing live to confirm");
        assertEquals(1, leases.timedOut());
    }

    @Test
    void aReadTimedOutWhenSettledIsCountedOnce() {
        CompletableFuture<Lease> late = taken(NOW - 1);
        assertFalse(leases.take(reader, QUEUE, late, NOW));
        assertFalse(leases.take(reader, QUEUE, late, NOW), "gone once settled");
        assertEquals(0, leases.count(reader, QUEUE, NOW));
        assertEquals(1, leases.timedOut());
    }

    @Test
    void timedOutReadsBehindALiveOneAreRemoved() {
        CompletableFuture<Lease> stillBeingTaken = leases.open(reader, QUEUE); // a waiting open: live until answered
        CompletableFuture<Lease> live = taken(NOW + 60_000);
        taken(NOW - 2);
        taken(NOW - 1);
        assertEquals(2, leases.count(reader, QUEUE, NOW));
        assertEquals(List.of(stillBeingTaken, live), leases.held(reader, QUEUE),
                "the timed-out ones leave, wherever they stand");
        assertEquals(2, leases.timedOut());
        assertEquals(2, leases.count(reader, QUEUE, NOW));
        assertEquals(2, leases.timedOut(), "and are not counted again");
    }

    @Test
    void aReadThatTookNothingIsNeitherHeldNorCounted() {
        leases.open(reader, QUEUE).complete(null);
        assertEquals(0, leases.count(reader, QUEUE, NOW));
        assertEquals(List.of(), leases.held(reader, QUEUE));
        assertEquals(0, leases.timedOut());
    }

    @Test
    void aConnectionGoneWithATimedOutReadCountsIt() {
        CompletableFuture<Lease> late = taken(NOW - 1);
        CompletableFuture<Lease> live = taken(NOW + 60_000);
        // both are given back: the timed-out one may not be reclaimed yet (the database's clock decides)
        assertEquals(List.of(late, live), leases.removeAll(reader, NOW));
        assertEquals(1, leases.timedOut());
        assertEquals(0, leases.count(reader, QUEUE, NOW));
        assertEquals(1, leases.timedOut());
    }

    @Test
    void liveReadsAreCountedAndKept() {
        CompletableFuture<Lease> first = taken(NOW + 1);
        CompletableFuture<Lease> second = taken(NOW + 2);
        assertEquals(2, leases.count(reader, QUEUE, NOW));
        assertTrue(leases.take(reader, QUEUE, first, NOW));
        assertEquals(List.of(second), leases.held(reader, QUEUE));
        assertEquals(0, leases.timedOut());
    }
}
