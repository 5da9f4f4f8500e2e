package org.mcq.protocol;

import java.util.HashMap;
import java.util.Map;

/** The commands of the memcache text protocol that this server understands, by their wire name. */
public enum Verb {
    SET("set", true), ADD("add", true), REPLACE("replace", true), APPEND("append", true),
    PREPEND("prepend", true), CAS("cas", true),
    GET("get", false), GETS("gets", false), DELETE("delete", false),
    INCR("incr", false), DECR("decr", false), TOUCH("touch", false),
    STATS("stats", false), FLUSH_ALL("flush_all", false), VERSION("version", false),
    VERBOSITY("verbosity", false), QUIT("quit", false),
    DB_CHECKPOINT("db_checkpoint", false), DB_ARCHIVE("db_archive", false),
    FLUSH("flush", false), FLUSH_EXPIRED("flush_expired", false), DUMP_STATS("dump_stats", false);

    private static final Map<String, Verb> BY_NAME = new HashMap<>();

    static {
        for (Verb verb : values()) {
            BY_NAME.put(verb.wireName, verb);
        }
    }

    private final String wireName;
    private final boolean storage;

    Verb(String wireName, boolean storage) {
        this.wireName = wireName;
        this.storage = storage;
    }

    /** The verb spelled exactly {@code name} (case-sensitive, as memcached), or null. */
    public static Verb named(String name) {
        return BY_NAME.get(name);
    }

    public String wireName() {
        return wireName;
    }

    /** Whether a data block follows the command line. */
    public boolean isStorage() {
        return storage;
    }
}
