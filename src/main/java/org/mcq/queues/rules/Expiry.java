package org.mcq.queues.rules;

/**
 * When a message may no longer be delivered, for both stores: its exptime (memcached's rule, if
 * expiry is on at all) or its queue's maximum age. The shared store says the same in SQL, with the
 * bounds computed here ({@link #storedAfter}); a test holds the SQL to {@link #expired}.
 */
public final class Expiry {

    /** memcached's rule: exptimes up to 30 days are relative, larger ones are Unix times. */
    private static final long RELATIVE_EXPTIME_LIMIT = 30L * 24 * 3600;

    private Expiry() {
    }

    /**
     * Ms since the epoch; 0 for never (always when {@code honoured} is false: MemcacheQ ignored
     * exptime, and legacy code passes anything there); negative exptimes are already past.
     */
    public static long expiresAt(boolean honoured, long exptime, long now) {
        if (!honoured || exptime == 0) {
            return 0;
        }
        if (exptime < 0) {
            return now - 1;
        }
        return exptime <= RELATIVE_EXPTIME_LIMIT ? now + exptime * 1000 : exptime * 1000;
    }

    /**
     * Whether a message stored at {@code storedAt} that expires at {@code expiresAt} (0: never) may no
     * longer be delivered at {@code now}, in a queue whose messages live {@code maxAgeMillis} at most
     * (0: no limit). A time of 0 or less is unknown and never expires it.
     */
    public static boolean expired(long expiresAt, long storedAt, long now, long maxAgeMillis) {
        return expiresAt > 0 && expiresAt <= now || storedAt > 0 && storedAt <= storedAfter(now, maxAgeMillis);
    }

    /**
     * The queue's maximum age as a bound: a message stored at or before it is too old at {@code now};
     * the smallest long when there is no maximum age.
     */
    public static long storedAfter(long now, long maxAgeMillis) {
        return maxAgeMillis > 0 ? now - maxAgeMillis : Long.MIN_VALUE;
    }
}
