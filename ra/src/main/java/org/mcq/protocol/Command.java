package org.mcq.protocol;

import java.util.List;

/**
 * One syntactically valid command. Keys are decoded as ISO-8859-1 so that every byte round-trips
 * exactly into replies; the data block of a storage command is kept as sent. Each number a verb
 * carries has its own component, parsed once by the parser, so no consumer reads the line again;
 * a component a verb does not carry is 0 (null for {@code stats}).
 *
 * @param verb      what was asked
 * @param keys      the keys in order (one for storage, delete, incr, touch; one or more for get)
 * @param flags     the 32-bit unsigned flags of a storage command
 * @param data      the data block of a storage command, else null
 * @param casUnique the unique of a {@code cas} command
 * @param exptime   a storage command's or {@code touch}'s exptime, as sent (an int, maybe negative)
 * @param delta     the delta of {@code incr}/{@code decr}, an unsigned 64-bit number in a long's
 *                  bits (read it with {@link Long#toUnsignedString(long)})
 * @param delay     the delay of {@code flush_all} (an int, maybe negative; 0 when none was sent)
 * @param verbosity the level of {@code verbosity}, or -1 if it is not a number up to 2^31-1: memcached
 *                  keeps its level then and answers {@code OK} all the same, so the parser lets it through
 * @param stats     what {@code stats} asked for; null for any other verb
 * @param noreply   whether the client asked for no reply
 * @param reads     for {@code get}/{@code gets}, each key with its queue and options, in key order;
 *                  else empty
 * @param frame     the binary protocol request it came as, whose reply is framed so; null for text
 */
public record Command(Verb verb, List<String> keys, long flags, byte[] data, long casUnique,
                      long exptime, long delta, long delay, int verbosity, StatsSubcommand stats,
                      boolean noreply, List<ReadKey> reads, BinaryFrame frame) implements Decoded {

    /** A storage command's line; its data block is added by {@link #withData} once read. */
    public static Command storage(Verb verb, String key, long flags, long exptime, long casUnique, boolean noreply) {
        return new Command(verb, List.of(key), flags, null, casUnique, exptime, 0, 0, 0, null, noreply, List.of(), null);
    }

    /** A {@code get} or {@code gets} of these keys. */
    public static Command retrieval(Verb verb, List<ReadKey> reads) {
        return new Command(verb, reads.stream().map(ReadKey::key).toList(), 0, null, 0, 0, 0, 0, 0, null, false,
                reads, null);
    }

    /** A command of keys and nothing else: {@code delete}, {@code flush}, {@code flush_expired}, {@code dump_stats}. */
    public static Command keyed(Verb verb, List<String> keys, boolean noreply) {
        return new Command(verb, keys, 0, null, 0, 0, 0, 0, 0, null, noreply, List.of(), null);
    }

    /** {@code incr} or {@code decr}, the delta unsigned (see {@link #delta}). */
    public static Command arithmetic(Verb verb, String key, long delta, boolean noreply) {
        return new Command(verb, List.of(key), 0, null, 0, 0, delta, 0, 0, null, noreply, List.of(), null);
    }

    public static Command touch(String key, long exptime, boolean noreply) {
        return new Command(Verb.TOUCH, List.of(key), 0, null, 0, exptime, 0, 0, 0, null, noreply, List.of(), null);
    }

    public static Command stats(StatsSubcommand subcommand) {
        return new Command(Verb.STATS, List.of(), 0, null, 0, 0, 0, 0, 0, subcommand, false, List.of(), null);
    }

    public static Command flushAll(long delay, boolean noreply) {
        return new Command(Verb.FLUSH_ALL, List.of(), 0, null, 0, 0, 0, delay, 0, null, noreply, List.of(), null);
    }

    public static Command verbosity(int level, boolean noreply) {
        return new Command(Verb.VERBOSITY, List.of(), 0, null, 0, 0, 0, 0, level, null, noreply, List.of(), null);
    }

    /** A verb alone: {@code version}, {@code quit}, {@code db_checkpoint}, {@code db_archive}. */
    public static Command bare(Verb verb) {
        return new Command(verb, List.of(), 0, null, 0, 0, 0, 0, 0, null, false, List.of(), null);
    }

    /** This storage command with its data block. */
    public Command withData(byte[] block) {
        return new Command(verb, keys, flags, block, casUnique, exptime, delta, delay, verbosity, stats, noreply, reads, frame);
    }

    /** This command as it came in a binary protocol request. */
    public Command withFrame(BinaryFrame binary) {
        return new Command(verb, keys, flags, data, casUnique, exptime, delta, delay, verbosity, stats, noreply, reads, binary);
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
