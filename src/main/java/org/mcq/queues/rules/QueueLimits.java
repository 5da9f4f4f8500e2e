package org.mcq.queues.rules;

/**
 * What one queue may hold (0: no limit) and what a {@code set} into a full queue does: refused
 * ({@code SERVER_ERROR queue full}), or stored with the oldest messages dropped to make room
 * (Kestrel's {@code discardOldWhenFull}). A message older than {@code maxAgeMillis} is never
 * delivered: it expires as one whose exptime has passed.
 */
public record QueueLimits(long maxMessages, long maxBytes, long maxAgeMillis, boolean dropOldest) {

    public static final QueueLimits NONE = new QueueLimits(0, 0, 0, false);

    /** Whether a queue already holding {@code messages} of {@code bytes} in all has room for one more of {@code size}. */
    public boolean fits(long messages, long bytes, int size) {
        return (maxMessages <= 0 || messages + 1 <= maxMessages) && (maxBytes <= 0 || bytes + size <= maxBytes);
    }

    public boolean bounded() {
        return maxMessages > 0 || maxBytes > 0;
    }
}
