package org.mcq.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one command line (line ending removed) into a command, a request for a data block, or a
 * rejection. Every number and key is validated here, before the decoder allocates the data block.
 */
final class CommandLineParser {

    /** What a line asks the decoder to do next. */
    sealed interface Outcome permits Done, ReadData, Swallow {
    }

    /** The line was a whole unit: a command without data, or a rejection. */
    record Done(Decoded decoded) implements Outcome {
    }

    /** A valid storage command whose data block of {@code length} bytes follows. */
    record ReadData(Command header, int length) implements Outcome {
    }

    /** A refused storage command whose data block (and its CRLF) must still be skipped. */
    record Swallow(Rejection rejection, long length) implements Outcome {
    }

    private static final Done ERROR = new Done(new Rejection(Reply.ERROR, false));
    private static final String NOREPLY = "noreply";
    private static final long MAX_UNSIGNED_32 = 0xFFFF_FFFFL;

    private final Limits limits;

    CommandLineParser(Limits limits) {
        this.limits = limits;
    }

    Outcome parse(byte[] line, int length) {
        List<String> tokens = Words.tokenize(line, length);
        if (tokens.isEmpty()) {
            return ERROR;
        }
        Verb verb = Verb.named(tokens.get(0));
        if (verb == null) {
            return ERROR;
        }
        if (verb.isStorage()) {
            return storage(verb, tokens);
        }
        return switch (verb) {
            case GET, GETS -> retrieval(verb, tokens);
            case DELETE -> delete(tokens);
            case INCR, DECR -> arithmetic(verb, tokens);
            case TOUCH -> touch(tokens);
            case STATS -> done(Command.stats(stats(tokens)));
            case FLUSH_ALL -> flushAll(tokens);
            case VERBOSITY -> verbosity(tokens);
            case FLUSH, FLUSH_EXPIRED -> oneQueue(verb, tokens);
            case DUMP_STATS -> queues(tokens);
            default -> tokens.size() == 1 ? done(Command.bare(verb)) : ERROR;
        };
    }

    private Outcome storage(Verb verb, List<String> tokens) {
        int required = verb == Verb.CAS ? 6 : 5;
        if (tokens.size() != required && tokens.size() != required + 1) {
            return ERROR;
        }
        long length = Words.parseUnsigned(tokens.get(4), Integer.MAX_VALUE - 2);
        if (length < 0) {
            return new Done(Rejection.badFormat());
        }
        String key = tokens.get(1);
        long flags = Words.parseUnsigned(tokens.get(2), MAX_UNSIGNED_32);
        long exptime = Words.parseInt(tokens.get(3));
        long casUnique = verb == Verb.CAS ? Words.parseUnsigned(tokens.get(5), Long.MAX_VALUE) : 0;
        if (!Words.validKey(key) || flags < 0 || exptime == Words.NOT_AN_INT || casUnique < 0) {
            return new Swallow(Rejection.badFormat(), length + 2);
        }
        if (length > limits.maxMessageSize()) {
            return new Swallow(new Rejection(Reply.serverError("object too large for cache"), false), length + 2);
        }
        boolean noreply = tokens.size() == required + 1 && NOREPLY.equals(tokens.get(required));
        return new ReadData(Command.storage(verb, key, flags, exptime, casUnique, noreply), (int) length);
    }

    private Outcome retrieval(Verb verb, List<String> tokens) {
        if (tokens.size() < 2) {
            return ERROR;
        }
        List<ReadKey> reads = new ArrayList<>(tokens.size() - 1);
        for (String key : tokens.subList(1, tokens.size())) {
            ReadKey read = Words.validKey(key) ? ReadKey.parse(key) : null;
            if (read == null) {
                return new Done(Rejection.badFormat());
            }
            reads.add(read);
        }
        return done(Command.retrieval(verb, reads));
    }

    private Outcome delete(List<String> tokens) {
        boolean noreply = NOREPLY.equals(tokens.get(tokens.size() - 1));
        int arguments = tokens.size() - (noreply ? 1 : 0);
        if (tokens.size() < 2 || arguments > 3) {
            return ERROR;
        }
        if (!Words.validKey(tokens.get(1)) || (arguments == 3 && !"0".equals(tokens.get(2)))) {
            return new Done(Rejection.clientError("bad command line format.  Usage: delete <key> [noreply]"));
        }
        return done(Command.keyed(Verb.DELETE, List.of(tokens.get(1)), noreply));
    }

    private Outcome arithmetic(Verb verb, List<String> tokens) {
        if (tokens.size() != 3 && tokens.size() != 4) {
            return ERROR;
        }
        if (!Words.validKey(tokens.get(1))) {
            return new Done(Rejection.badFormat());
        }
        if (!Words.isUnsigned64(tokens.get(2))) {
            return new Done(Rejection.clientError("invalid numeric delta argument"));
        }
        return done(Command.arithmetic(verb, tokens.get(1), Long.parseUnsignedLong(tokens.get(2)), noreply(tokens, 4)));
    }

    private Outcome touch(List<String> tokens) {
        if (tokens.size() != 3 && tokens.size() != 4) {
            return ERROR;
        }
        if (!Words.validKey(tokens.get(1))) {
            return new Done(Rejection.badFormat());
        }
        long exptime = Words.parseInt(tokens.get(2));
        if (exptime == Words.NOT_AN_INT) {
            return new Done(Rejection.clientError("invalid exptime argument"));
        }
        return done(Command.touch(tokens.get(1), exptime, noreply(tokens, 4)));
    }

    private Outcome flushAll(List<String> tokens) {
        boolean noreply = NOREPLY.equals(tokens.get(tokens.size() - 1));
        int arguments = tokens.size() - (noreply ? 1 : 0);
        if (arguments > 2) {
            return ERROR;
        }
        long delay = arguments == 2 ? Words.parseInt(tokens.get(1)) : 0;
        if (delay == Words.NOT_AN_INT) {
            return new Done(Rejection.badFormat());
        }
        return done(Command.flushAll(delay, noreply));
    }

    /** Kestrel's {@code flush <q>} and {@code flush_expired <q>}. */
    private Outcome oneQueue(Verb verb, List<String> tokens) {
        if (tokens.size() != 2) {
            return ERROR;
        }
        if (!Words.validKey(tokens.get(1))) {
            return new Done(Rejection.badFormat());
        }
        return done(Command.keyed(verb, List.of(tokens.get(1)), false));
    }

    /** Kestrel's {@code dump_stats [q ...]}: the named queues, or all. */
    private Outcome queues(List<String> tokens) {
        List<String> names = tokens.subList(1, tokens.size());
        for (String name : names) {
            if (!Words.validKey(name)) {
                return new Done(Rejection.badFormat());
            }
        }
        return done(Command.keyed(Verb.DUMP_STATS, List.copyOf(names), false));
    }

    private Outcome verbosity(List<String> tokens) {
        if (tokens.size() != 2 && tokens.size() != 3) {
            return ERROR;
        }
        // memcached answers OK to any word here, keeping its level when the word is no number
        int level = (int) Words.parseUnsigned(tokens.get(1), Integer.MAX_VALUE);
        return done(Command.verbosity(level, noreply(tokens, 3)));
    }

    /** Words past the first belong to memcached's sub-commands this server lacks ({@code stats detail on}, ...). */
    private static StatsSubcommand stats(List<String> tokens) {
        return switch (tokens.size()) {
            case 1 -> StatsSubcommand.GENERAL;
            case 2 -> StatsSubcommand.named(tokens.get(1));
            default -> StatsSubcommand.OTHER;
        };
    }

    private static Outcome done(Command command) {
        return new Done(command);
    }

    private static boolean noreply(List<String> tokens, int sizeWithNoreply) {
        return tokens.size() == sizeWithNoreply && NOREPLY.equals(tokens.get(sizeWithNoreply - 1));
    }
}
