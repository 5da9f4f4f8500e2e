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
class OpenReadsTest {

    private static final String QUEUE = "q";
    private static final long NOW = 1_000_000;

    private final OpenReads openReads = new OpenReads();
    private final Object reader = new Object();
    private long ids;

    /** An open read taken, holding its lease until {@code expiresAt}. */
    private CompletableFuture<Lease> taken(long expiresAt) {
        CompletableFuture<Lease> entry = openReads.open(reader, QUEUE);
        entry.complete(new Lease(QUEUE, ++ids, 7, expiresAt, System.nanoTime()));
        return entry;
    }

    @Test
    void aTimedOutReadIsCountedOnceHoweverOftenItIsCounted() {
        taken(NOW - 1);
        for (int open = 0; open < 5; open++) {
            assertEquals(0, openReads.count(reader, QUEUE, NOW), "a timed-out read holds nothing");
        }
        assertEquals(1, openReads.timedOut(), "one read timed out, whatever the number of opens that looked");
    }

    @Test
    void settlingAReadAlreadyCountedAsTimedOutCountsNothingMore() {
        CompletableFuture<Lease> late = taken(NOW - 1);
        assertEquals(0, openReads.count(reader, QUEUE, NOW));
        assertFalse(openReads.take(reader, QUEUE, late, NOW), "a close finds nothing live to confirm");
        assertEquals(1, openReads.timedOut());
    }

    @Test
    void aReadTimedOutWhenSettledIsCountedOnce() {
        CompletableFuture<Lease> late = taken(NOW - 1);
        assertFalse(openReads.take(reader, QUEUE, late, NOW));
        assertFalse(openReads.take(reader, QUEUE, late, NOW), "gone once settled");
        assertEquals(0, openReads.count(reader, QUEUE, NOW));
        assertEquals(1, openReads.timedOut());
    }

    @Test
    void timedOutReadsBehindALiveOneAreRemoved() {
        CompletableFuture<Lease> stillBeingTaken = openReads.open(reader, QUEUE); // a waiting open: live until answered
        CompletableFuture<Lease> live = taken(NOW + 60_000);
        taken(NOW - 2);
        taken(NOW - 1);
        assertEquals(2, openReads.count(reader, QUEUE, NOW));
        assertEquals(List.of(stillBeingTaken, live), openReads.held(reader, QUEUE),
                "the timed-out ones leave, wherever they stand");
        assertEquals(2, openReads.timedOut());
        assertEquals(2, openReads.count(reader, QUEUE, NOW));
        assertEquals(2, openReads.timedOut(), "and are not counted again");
    }

    @Test
    void aReadThatTookNothingIsNeitherHeldNorCounted() {
        openReads.open(reader, QUEUE).complete(null);
        assertEquals(0, openReads.count(reader, QUEUE, NOW));
        assertEquals(List.of(), openReads.held(reader, QUEUE));
        assertEquals(0, openReads.timedOut());
    }

    @Test
    void aConnectionGoneWithATimedOutReadCountsIt() {
        CompletableFuture<Lease> late = taken(NOW - 1);
        CompletableFuture<Lease> live = taken(NOW + 60_000);
        // both are given back: the timed-out one may not be reclaimed yet (the database's clock decides)
        assertEquals(List.of(late, live), openReads.removeAll(reader, NOW));
        assertEquals(1, openReads.timedOut());
        assertEquals(0, openReads.count(reader, QUEUE, NOW));
        assertEquals(1, openReads.timedOut());
    }

    @Test
    void liveReadsAreCountedAndKept() {
        CompletableFuture<Lease> first = taken(NOW + 1);
        CompletableFuture<Lease> second = taken(NOW + 2);
        assertEquals(2, openReads.count(reader, QUEUE, NOW));
        assertTrue(openReads.take(reader, QUEUE, first, NOW));
        assertEquals(List.of(second), openReads.held(reader, QUEUE));
        assertEquals(0, openReads.timedOut());
    }
}
