package org.mcq.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The queue semantics of the README ("Reliable and blocking reads", "Protocol") and
 * QUEUE-SEMANTICS.md written small: what every command does to the queues and what it answers,
 * for commands sent one at a time and each reply awaited (so nothing is in flight, and in sync mode
 * a crash is exact too). Connections are numbers; messages are numbered in the order they were
 * stored, which is the order the servers deliver them in.
 *
 * <p>With fanout on, a {@code set} to a queue also appends a copy to each of its subscribers
 * ({@code q+name}) that exists: made by a set or by a read of it (a pop, an open, a peek), gone with
 * {@code delete} or {@code flush_all}. Where a subscriber may or may not exist (a crash may have
 * forgotten an empty one; a read given back into a deleted one makes it again on Derby, not in a
 * shared database), the driver reads it before a set to its queue, which settles it.
 *
 * <p>Where a store may answer either way, the model says so: whether an empty queue still exists
 * after a crash (its record is written a second after it changes), or at all in a shared database
 * (each server adds its queues' records once a second).
 */
public final class QueueModel {

    /** A stored message. */
    public record Message(long seq, long flags, byte[] body) {
    }

    /** One key of a {@code get}: its queue and options, as the driver built it. */
    public record Read(String key, String queue, boolean open, boolean close, boolean abort, boolean peek) {
        public static Read pop(String queue) {
            return new Read(queue, queue, false, false, false, false);
        }
    }

    /** One {@code VALUE} of a reply: the key as sent, the message's flags and body. */
    public record Value(String key, long flags, byte[] body, long seq) {
    }

    /** What {@code dump_stats} may show of one queue. */
    public record Figures(int items, long bytes, int openReads, Presence presence) {
    }

    /** Whether a queue's block must, may or must not appear in {@code dump_stats}. */
    public enum Presence { REQUIRED, OPTIONAL, ABSENT }

    private enum Existence { YES, NO, MAYBE }

    private final int maxOpenReads;
    private final boolean exactEmptyQueues;
    private final boolean fanout;
    /** With fanout on: whether each subscriber ever named exists. */
    private final Map<String, Existence> subscribers = new HashMap<>();
    private final Map<String, TreeMap<Long, Message>> waiting = new HashMap<>();
    private final Map<String, Existence> existence = new HashMap<>();
    /** Per connection, per queue, its open reads oldest first. */
    private final Map<Integer, Map<String, ArrayDeque<Message>>> open = new HashMap<>();
    private long seq;

    /**
     * @param maxOpenReads     open reads a connection may hold per queue
     * @param exactEmptyQueues whether the store knows exactly which empty queues exist (one server on
     *                         its own database, no crash since); false for a shared database
     */
    public QueueModel(int maxOpenReads, boolean exactEmptyQueues) {
        this(maxOpenReads, exactEmptyQueues, false);
    }

    /** @param fanout whether a set copies to the queue's subscribers (the server's {@code mcq.fanout}) */
    public QueueModel(int maxOpenReads, boolean exactEmptyQueues, boolean fanout) {
        this.maxOpenReads = maxOpenReads;
        this.exactEmptyQueues = exactEmptyQueues;
        this.fanout = fanout;
    }

    public boolean fanout() {
        return fanout;
    }

    /** The queue of a subscriber's name ({@code q+name}: {@code q}), or null. */
    public static String parentOf(String queue) {
        int mark = queue.indexOf('+');
        return mark > 0 && mark < queue.length() - 1 ? queue.substring(0, mark) : null;
    }

    /** {@code set}: appended, with a copy for each subscriber that exists; {@code STORED}. */
    public Message set(String queue, long flags, byte[] body) {
        Message message = append(queue, flags, body);
        if (fanout && parentOf(queue) == null) {
            for (Map.Entry<String, Existence> subscriber : new TreeMap<>(subscribers).entrySet()) {
                if (subscriber.getValue() == Existence.YES && queue.equals(parentOf(subscriber.getKey()))) {
                    append(subscriber.getKey(), flags, body);
                }
            }
        }
        return message;
    }

    private Message append(String queue, long flags, byte[] body) {
        Message message = new Message(++seq, flags, body);
        waiting.computeIfAbsent(queue, q -> new TreeMap<>()).put(message.seq(), message);
        existence.put(queue, Existence.YES);
        subscribed(queue);
        return message;
    }

    /** With fanout on, the queue, if a subscriber, exists now. */
    private void subscribed(String queue) {
        if (fanout && parentOf(queue) != null) {
            subscribers.put(queue, Existence.YES);
            existence.put(queue, Existence.YES); // a queue like any other, listed from now on
        }
    }

    /** The subscribers of the queue that may or may not exist: the driver reads each before a set to the queue. */
    public List<String> unsettledSubscribers(String queue) {
        List<String> unsettled = new ArrayList<>();
        new TreeMap<>(subscribers).forEach((name, exists) -> {
            if (exists == Existence.MAYBE && queue.equals(parentOf(name))) {
                unsettled.add(name);
            }
        });
        return unsettled;
    }

    /**
     * {@code get} of these keys by {@code connection}: the values in key order, or null when the
     * keys, taken in order, would take the connection past its allowance of open reads on a queue
     * (a close or an abort lets one go first if one is held): the whole command is refused, nothing read.
     */
    public List<Value> get(int connection, List<Read> reads) {
        Map<String, Integer> held = new HashMap<>();
        for (Read read : reads) {
            int count = held.computeIfAbsent(read.queue(), queue -> openCount(connection, queue));
            if ((read.close() || read.abort()) && count > 0) {
                count--;
            }
            if (read.open() && ++count > maxOpenReads) {
                return null;
            }
            held.put(read.queue(), count);
        }
        List<Value> values = new ArrayList<>();
        for (Read read : reads) {
            Message message = read(connection, read);
            if (message != null) {
                values.add(new Value(read.key(), message.flags(), message.body(), message.seq()));
            }
        }
        return values;
    }

    private Message read(int connection, Read read) {
        String queue = read.queue();
        if (read.abort()) {
            Message oldest = takeOldestOpen(connection, queue);
            if (oldest != null) {
                putBack(queue, oldest);
            }
            return null;
        }
        if (read.close()) {
            takeOldestOpen(connection, queue); // confirmed: gone for good
            if (!read.open()) {
                return null;
            }
        }
        subscribed(queue); // a subscriber exists from its first read
        TreeMap<Long, Message> messages = waiting.get(queue);
        if (messages == null || messages.isEmpty()) {
            return null;
        }
        if (read.peek()) {
            return messages.firstEntry().getValue();
        }
        Message head = messages.pollFirstEntry().getValue();
        if (read.open()) {
            open.computeIfAbsent(connection, c -> new HashMap<>()).computeIfAbsent(queue, q -> new ArrayDeque<>())
                    .addLast(head);
        }
        return head;
    }

    private Message takeOldestOpen(int connection, String queue) {
        Map<String, ArrayDeque<Message>> held = open.get(connection);
        ArrayDeque<Message> reads = held == null ? null : held.get(queue);
        if (reads == null) {
            return null;
        }
        Message oldest = reads.pollFirst();
        if (reads.isEmpty()) {
            held.remove(queue);
        }
        return oldest;
    }

    private void putBack(String queue, Message message) {
        waiting.computeIfAbsent(queue, q -> new TreeMap<>()).put(message.seq(), message);
        existence.put(queue, Existence.YES);
        if (fanout && parentOf(queue) != null && subscribers.get(queue) != Existence.YES) {
            subscribers.put(queue, Existence.MAYBE); // made again on Derby; not in a shared database
        }
    }

    /** The replies {@code delete} may get: the queue's waiting messages go, reads open on it stay open. */
    public Set<String> delete(String queue) {
        TreeMap<Long, Message> messages = waiting.remove(queue);
        Existence was = existence.getOrDefault(queue, Existence.NO);
        existence.put(queue, Existence.NO);
        subscribers.computeIfPresent(queue, (name, exists) -> Existence.NO);
        if (messages != null && !messages.isEmpty() || was == Existence.YES && exactEmptyQueues) {
            return Set.of("DELETED");
        }
        if (was == Existence.NO && exactEmptyQueues) {
            return Set.of("NOT_FOUND");
        }
        return Set.of("DELETED", "NOT_FOUND");
    }

    /** {@code flush_all}: every queue goes; reads open at that moment stay open. */
    public void flushAll() {
        waiting.clear();
        existence.replaceAll((queue, was) -> Existence.NO);
        subscribers.replaceAll((queue, was) -> Existence.NO);
    }

    /** {@code flush q}: its waiting messages go and its open reads, on every connection, are confirmed. */
    public void flush(String queue) {
        TreeMap<Long, Message> messages = waiting.get(queue);
        if (messages != null) {
            messages.clear();
        }
        for (Map<String, ArrayDeque<Message>> held : open.values()) {
            held.remove(queue);
        }
    }

    /** The connection is gone: its open reads go back to their queues, in their original order. */
    public Set<String> closed(int connection) {
        Map<String, ArrayDeque<Message>> held = open.remove(connection);
        if (held == null) {
            return Set.of();
        }
        held.forEach((queue, reads) -> reads.forEach(message -> putBack(queue, message)));
        return held.keySet();
    }

    /**
     * The server crashed (its connections are closed by the caller): an empty queue's record may
     * not have been written, so whether it exists is open until the next change says.
     */
    public void crashed() {
        existence.replaceAll((queue, was) -> was == Existence.YES && isEmpty(queue) ? Existence.MAYBE : was);
        subscribers.replaceAll((queue, was) -> was == Existence.YES && isEmpty(queue) ? Existence.MAYBE : was);
    }

    private boolean isEmpty(String queue) {
        TreeMap<Long, Message> messages = waiting.get(queue);
        return messages == null || messages.isEmpty();
    }

    /** How many reads of the queue the connection holds open. */
    public int openCount(int connection, String queue) {
        Map<String, ArrayDeque<Message>> held = open.get(connection);
        ArrayDeque<Message> reads = held == null ? null : held.get(queue);
        return reads == null ? 0 : reads.size();
    }

    /** What {@code dump_stats} may show of the queue. */
    public Figures figures(String queue) {
        TreeMap<Long, Message> messages = waiting.get(queue);
        int items = messages == null ? 0 : messages.size();
        long bytes = 0;
        if (messages != null) {
            for (Message message : messages.values()) {
                bytes += message.body().length;
            }
        }
        int reads = 0;
        for (Map<String, ArrayDeque<Message>> held : open.values()) {
            ArrayDeque<Message> queueReads = held.get(queue);
            reads += queueReads == null ? 0 : queueReads.size();
        }
        Existence exists = existence.getOrDefault(queue, Existence.NO);
        Presence presence;
        if (items > 0 || exists == Existence.YES && exactEmptyQueues) {
            presence = Presence.REQUIRED;
        } else if (exists == Existence.NO && reads == 0 && exactEmptyQueues) {
            presence = Presence.ABSENT;
        } else {
            presence = Presence.OPTIONAL;
        }
        return new Figures(items, bytes, reads, presence);
    }

    /** Every queue the model has heard of, by name. */
    public Set<String> queues() {
        Set<String> names = new TreeSet<>(existence.keySet());
        names.addAll(waiting.keySet());
        return names;
    }

    /** A short account of the state, for a divergence report. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (String queue : queues()) {
            TreeMap<Long, Message> messages = waiting.get(queue);
            text.append("  ").append(queue).append(": waiting ")
                    .append(messages == null ? "[]" : messages.keySet()).append(", exists ")
                    .append(existence.getOrDefault(queue, Existence.NO))
                    .append(subscribers.containsKey(queue) ? ", subscribed " + subscribers.get(queue) : "").append('\n');
        }
        open.forEach((connection, held) -> held.forEach((queue, reads) -> {
            List<Long> seqs = new ArrayList<>();
            reads.forEach(message -> seqs.add(message.seq()));
            text.append("  connection ").append(connection).append(" holds open ").append(queue).append(' ')
                    .append(seqs).append('\n');
        }));
        return text.toString();
    }
}
