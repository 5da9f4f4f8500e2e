package org.mcq.queues.rules;

/**
 * Kestrel's fanout queues, by name, for both stores: a queue named {@code q+name} is a subscriber of
 * {@code q}, and every {@code set} to {@code q} also appends a copy to each subscriber that exists
 * then, in the same commit. A subscriber is an ordinary queue for every other command; a set to it
 * goes to it alone. A name holding {@code +} never has subscribers of its own: {@code q+a+b} is a
 * subscriber of {@code q}, not of {@code q+a}.
 */
public final class Fanout {

    /** What separates a subscriber's name from its queue's. */
    public static final char MARK = '+';

    private Fanout() {
    }

    /** The queue whose sets a queue of this name receives copies of; null if it subscribes to none. */
    public static String parentOf(String name) {
        int mark = name.indexOf(MARK);
        return mark > 0 && mark < name.length() - 1 ? name.substring(0, mark) : null;
    }

    /** Whether a set to this queue may have subscribers to copy to. */
    public static boolean mayHaveSubscribers(String name) {
        return name.indexOf(MARK) < 0;
    }
}
