package org.mcq.memcache.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.LongAdder;
import org.mcq.protocol.Verb;

/**
 * The server-wide command counters: those {@code stats} reports and {@code stats reset} clears,
 * and the commands by verb that metrics report (never reset: Prometheus counters only grow).
 */
@ApplicationScoped
public class Statistics {

    private static final Verb[] VERBS = Verb.values();

    private final LongAdder[] commands = new LongAdder[VERBS.length];

    {
        for (int i = 0; i < commands.length; i++) {
            commands[i] = new LongAdder();
        }
    }

    private final LongAdder getCommands = new LongAdder();
    private final LongAdder getHits = new LongAdder();
    private final LongAdder setCommands = new LongAdder();
    private final LongAdder setHits = new LongAdder();
    private final LongAdder deleteCommands = new LongAdder();

    /** Counts one command. */
    public void command(Verb verb) {
        commands[verb.ordinal()].increment();
    }

    /** Commands of this verb since the start. */
    public long commands(Verb verb) {
        return commands[verb.ordinal()].sum();
    }

    /** Counts one key of a {@code get}, hit or miss. */
    public void get(boolean hit) {
        getCommands.increment();
        if (hit) {
            getHits.increment();
        }
    }

    /** Counts one {@code set}, stored or not. */
    public void set(boolean stored) {
        setCommands.increment();
        if (stored) {
            setHits.increment();
        }
    }

    public void delete() {
        deleteCommands.increment();
    }

    public long getCommands() {
        return getCommands.sum();
    }

    public long getHits() {
        return getHits.sum();
    }

    public long setCommands() {
        return setCommands.sum();
    }

    public long setHits() {
        return setHits.sum();
    }

    public long deleteCommands() {
        return deleteCommands.sum();
    }

    public void reset() {
        getCommands.reset();
        getHits.reset();
        setCommands.reset();
        setHits.reset();
        deleteCommands.reset();
    }
}
