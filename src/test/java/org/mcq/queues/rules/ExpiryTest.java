package org.mcq.queues.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExpiryTest {

    private static final long NOW = 1_800_000_000_000L;

    @Test
    void anExptimeOfThirtyDaysOrLessIsRelativeAndLargerOnesAreUnixTimes() {
        assertEquals(NOW + 10_000, Expiry.expiresAt(true, 10, NOW));
        assertEquals(NOW + 30L * 24 * 3600 * 1000, Expiry.expiresAt(true, 30L * 24 * 3600, NOW));
        assertEquals((30L * 24 * 3600 + 1) * 1000, Expiry.expiresAt(true, 30L * 24 * 3600 + 1, NOW));
        assertTrue(Expiry.expiresAt(true, -1, NOW) < NOW, "a negative exptime is already past");
        assertEquals(0, Expiry.expiresAt(true, 0, NOW), "0: never");
        assertEquals(0, Expiry.expiresAt(false, 10, NOW), "MemcacheQ ignored exptime");
    }

    @Test
    void aMessageExpiresAtItsExptimeAndNotBefore() {
        assertFalse(Expiry.expired(NOW + 1, NOW - 5, NOW, 0));
        assertTrue(Expiry.expired(NOW, NOW - 5, NOW, 0));
        assertFalse(Expiry.expired(0, NOW - 5, NOW, 0), "0: never");
    }

    @Test
    void aMessageAsOldAsItsQueuesMaximumAgeMayNoLongerBeDelivered() {
        assertFalse(Expiry.expired(0, NOW - 999, NOW, 1000));
        assertTrue(Expiry.expired(0, NOW - 1000, NOW, 1000));
        assertFalse(Expiry.expired(0, NOW - 1_000_000, NOW, 0), "0: no maximum age");
        assertFalse(Expiry.expired(0, 0, NOW, 1000), "a stored time of 0 is unknown");
        assertEquals(Long.MIN_VALUE, Expiry.storedAfter(NOW, 0));
        assertEquals(NOW - 1000, Expiry.storedAfter(NOW, 1000));
    }
}
