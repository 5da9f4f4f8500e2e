package org.mcq.protocol;

/** What a {@code stats} command asks for, by the word after {@code stats}. */
public enum StatsSubcommand {
    /** {@code stats} alone: the general statistics. */
    GENERAL(null),
    QUEUE("queue"), RESET("reset"), SETTINGS("settings"), ITEMS("items"), SLABS("slabs"), SIZES("sizes"),
    /**
     * Any other word, or more than one: memcached's other groups ({@code detail}, {@code conns}, ...)
     * that this server lacks. Still a {@code stats} command, counted as one, and answered {@code ERROR}.
     */
    OTHER(null);

    private final String wireName;

    StatsSubcommand(String wireName) {
        this.wireName = wireName;
    }

    /** The sub-command spelled exactly {@code word} (case-sensitive, as memcached), else {@link #OTHER}. */
    public static StatsSubcommand named(String word) {
        for (StatsSubcommand subcommand : values()) {
            if (word.equals(subcommand.wireName)) {
                return subcommand;
            }
        }
        return OTHER;
    }

    /** The word after {@code stats}, or null for {@link #GENERAL} and {@link #OTHER}. */
    public String wireName() {
        return wireName;
    }
}
