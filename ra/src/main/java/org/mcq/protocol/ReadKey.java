package org.mcq.protocol;

import java.util.Map;

/**
 * A {@code get} key read in Kestrel's dialect: the queue it names and the options trailing it
 * ({@code jobs/close/open/t=500}). Only trailing {@code /}-segments that are options are options,
 * so a MemcacheQ queue named {@code sub/dir} keeps its name; a segment that is an option's word but
 * malformed ({@code t=x}) or contradicts another is refused, never taken as part of the name, so a
 * typo cannot silently turn a reliable read into a plain pop of another queue.
 *
 * @param key        the key exactly as sent (what {@code VALUE} echoes)
 * @param queue      the queue's name
 * @param open       take the head and hold it for this connection until {@code close} or {@code abort}
 * @param close      confirm the oldest read this connection holds open on the queue
 * @param abort      put the oldest read this connection holds open back at the head
 * @param peek       the head, left in place
 * @param waitMillis how long to wait for a message if the queue is empty; 0: not at all
 */
public record ReadKey(String key, String queue, boolean open, boolean close, boolean abort, boolean peek,
                      long waitMillis) {

    /** Longer waits are capped by the server's setting anyway; this only keeps the number sane. */
    private static final long MAX_WAIT_DIGITS = 10;

    /** A plain key: MemcacheQ's pop. */
    public static ReadKey plain(String key) {
        return new ReadKey(key, key, false, false, false, false, 0);
    }

    private static final int OPEN = 1;
    private static final int CLOSE = 2;
    private static final int ABORT = 4;
    private static final int PEEK = 8;
    private static final Map<String, Integer> WORDS = Map.of("open", OPEN, "close", CLOSE, "abort", ABORT, "peek", PEEK);

    /** Splits off the trailing options; null if they are malformed, repeated or contradict each other. */
    static ReadKey parse(String key) {
        if (key.indexOf('/') < 0) {
            return plain(key);
        }
        int options = 0;
        long wait = -1;
        int end = key.length();
        int slash;
        while ((slash = key.lastIndexOf('/', end - 1)) > 0) {
            String segment = key.substring(slash + 1, end);
            Integer option = WORDS.get(segment);
            if (option != null) {
                if ((options & option) != 0) {
                    return null;
                }
                options |= option;
            } else if (segment.startsWith("t=")) {
                String digits = segment.substring(2);
                long millis = digits.length() <= MAX_WAIT_DIGITS
                        ? Words.parseUnsigned(digits, Long.MAX_VALUE) : -1;
                if (millis < 0 || wait >= 0) {
                    return null;
                }
                wait = millis;
            } else {
                break; // the name's own last segment
            }
            end = slash;
        }
        boolean peek = (options & PEEK) != 0;
        boolean abort = (options & ABORT) != 0;
        if (peek && options != PEEK || abort && options != ABORT) {
            return null;
        }
        return new ReadKey(key, key.substring(0, end), (options & OPEN) != 0, (options & CLOSE) != 0, abort, peek,
                Math.max(wait, 0));
    }
}
