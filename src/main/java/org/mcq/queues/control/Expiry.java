package org.mcq.queues.control;

/** When a {@code set}'s message expires, by memcached's rule, if expiry is on at all. */
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
}
