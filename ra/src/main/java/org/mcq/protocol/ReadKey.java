package org.mcq.protocol;

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

    /** Whether this read asks for anything beyond MemcacheQ's pop. */
    public boolean hasOptions() {
        return open || close || abort || peek || waitMillis > 0;
    }

    /** Splits off the trailing options; null if they are malformed or contradict each other. */
    static ReadKey parse(String key) {
        if (key.indexOf('/') < 0) {
            return plain(key);
        }
        boolean open = false;
        boolean close = false;
        boolean abort = false;
        boolean peek = false;
        long wait = -1;
        int end = key.length();
        int slash;
        while ((slash = key.lastIndexOf('/', end - 1)) > 0) {
            String segment = key.substring(slash + 1, end);
            switch (segment) {
                case "open" -> {
                    if (open) {
                        return null;
                    }
                    open = true;
                }
                case "close" -> {
                    if (close) {
                        return null;
                    }
                    close = true;
                }
                case "abort" -> {
                    if (abort) {
                        return null;
                    }
                    abort = true;
                }
                case "peek" -> {
                    if (peek) {
                        return null;
                    }
                    peek = true;
                }
                default -> {
                    if (!segment.startsWith("t=")) {
                        return finish(key, end, open, close, abort, peek, wait);
                    }
                    String digits = segment.substring(2);
                    long millis = digits.length() <= MAX_WAIT_DIGITS
                            ? CommandLineParser.parseUnsigned(digits, Long.MAX_VALUE) : -1;
                    if (millis < 0 || wait >= 0) {
                        return null;
                    }
                    wait = millis;
                }
            }
            end = slash;
        }
        return finish(key, end, open, close, abort, peek, wait);
    }

    private static ReadKey finish(String key, int end, boolean open, boolean close, boolean abort, boolean peek,
                                  long wait) {
        if (peek && (open || close || abort) || abort && (open || close)) {
            return null;
        }
        return new ReadKey(key, key.substring(0, end), open, close, abort, peek, Math.max(wait, 0));
    }
}
