package org.mcq.protocol;

import java.util.List;

/**
 * One syntactically valid command. Keys are decoded as ISO-8859-1 so that every byte round-trips
 * exactly into replies; the data block of a storage command is kept as sent.
 *
 * @param verb      what was asked
 * @param keys      the keys in order (one for storage, delete, incr, touch; one or more for get)
 * @param flags     the 32-bit unsigned flags of a storage command
 * @param data      the data block of a storage command, else null
 * @param casUnique the unique of a {@code cas} command, else 0
 * @param argument  the remaining argument: a storage command's exptime, {@code stats} sub-command,
 *                  {@code verbosity} level, {@code flush_all} delay, {@code incr}/{@code decr} delta;
 *                  else null
 * @param noreply   whether the client asked for no reply
 * @param reads     for {@code get}/{@code gets}, each key with its queue and options, in key order;
 *                  else empty
 */
public record Command(Verb verb, List<String> keys, long flags, byte[] data, long casUnique,
                      String argument, boolean noreply, List<ReadKey> reads) implements Decoded {

    public static Command simple(Verb verb, String argument, boolean noreply) {
        return new Command(verb, List.of(), 0, null, 0, argument, noreply, List.of());
    }

    public static Command keyed(Verb verb, List<String> keys, String argument, boolean noreply) {
        return new Command(verb, keys, 0, null, 0, argument, noreply, List.of());
    }

    /** A {@code get} or {@code gets} of these keys. */
    public static Command retrieval(Verb verb, List<ReadKey> reads) {
        return new Command(verb, reads.stream().map(ReadKey::key).toList(), 0, null, 0, null, false, reads);
    }

    /** Whether a read of this command waits for a message (nothing after it may run before its reply). */
    public boolean waits() {
        for (ReadKey read : reads) {
            if (read.waitMillis() > 0) {
                return true;
            }
        }
        return false;
    }

    /** The first (for most commands the only) key. */
    public String key() {
        return keys.get(0);
    }
}
