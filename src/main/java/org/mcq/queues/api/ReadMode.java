package org.mcq.queues.api;

/** How a read takes its message. */
public enum ReadMode {
    /** MemcacheQ's pop: the message is gone once delivered (in sync mode, removed on disk first). */
    POP,
    /** Kestrel's {@code open}: held for the reader until it confirms or gives it back; nothing leaves the disk yet. */
    OPEN,
    /** The head, left in place. */
    PEEK
}
