package org.mcq.model;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/** How often each kind of step comes, by weight. */
public final class Mix {

    /** The kinds of step the driver takes. */
    public enum Kind {
        SET, POP, OPEN, CLOSE, CLOSE_OPEN, ABORT, PEEK, MULTI_GET, GETS, DELETE, FLUSH, FLUSH_ALL, DUMP_STATS,
        DISCONNECT, RESTART, KILL
    }

    private final Map<Kind, Integer> weights = new EnumMap<>(Kind.class);

    /** Every command, connections closed now and then; no restart, no crash. */
    public static Mix commands() {
        return new Mix()
                .with(Kind.SET, 280).with(Kind.POP, 90).with(Kind.OPEN, 110).with(Kind.CLOSE, 80)
                .with(Kind.CLOSE_OPEN, 60).with(Kind.ABORT, 40).with(Kind.PEEK, 40).with(Kind.MULTI_GET, 70)
                .with(Kind.GETS, 20).with(Kind.DELETE, 25).with(Kind.FLUSH, 25).with(Kind.FLUSH_ALL, 8)
                .with(Kind.DUMP_STATS, 50).with(Kind.DISCONNECT, 30);
    }

    public Mix with(Kind kind, int weight) {
        weights.put(kind, weight);
        return this;
    }

    Kind pick(Random random) {
        int total = 0;
        for (int weight : weights.values()) {
            total += weight;
        }
        int at = random.nextInt(total);
        for (Map.Entry<Kind, Integer> entry : weights.entrySet()) {
            at -= entry.getValue();
            if (at < 0) {
                return entry.getKey();
            }
        }
        throw new IllegalStateException("no weights");
    }
}
