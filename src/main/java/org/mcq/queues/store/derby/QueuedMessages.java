package org.mcq.queues.store.derby;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A queue's messages in FIFO (id) order, their bytes, and whether it was used lately; each taken or
 * given back counted in its {@link QueueTally}. Part of a {@link MessageQueue}, under its lock.
 */
abstract class QueuedMessages extends QueueTally {

    final ArrayDeque<Message> messages = new ArrayDeque<>();
    long bytes;
    /** Whether a message came or went since the idle sweep last looked (a flag, not a clock read per message). */
    boolean used = true;

    QueuedMessages(String name, long stored, long consumed) {
        super(name, stored, consumed);
    }

    QueuedMessages(String name, boolean baseKnown) {
        super(name, baseKnown);
    }

    synchronized void append(Message message) {
        messages.addLast(message);
        bytes += message.size();
        stored++;
        version++;
        used = true;
    }

    /** Puts back a message restored from disk without counting it as newly stored. */
    synchronized void restore(Message message) {
        messages.addLast(message);
        bytes += message.size();
    }

    synchronized Message poll() {
        Message message = messages.pollFirst();
        if (message != null) {
            bytes -= message.size();
            consumed++;
            version++;
            used = true;
        }
        return message;
    }

    /** Takes the head as expired: never delivered, counted. */
    synchronized Message expireHead() {
        Message message = poll();
        if (message != null) {
            expired++;
        }
        return message;
    }

    /** Takes the head to make room for a new message: counted as discarded. */
    synchronized Message discardHead() {
        Message message = poll();
        if (message != null) {
            discarded++;
        }
        return message;
    }

    /** Takes every message (a flush). */
    synchronized List<Message> pollAll() {
        List<Message> all = new ArrayList<>(messages);
        messages.clear();
        bytes = 0;
        consumed += all.size();
        version += all.isEmpty() ? 0 : 1;
        used = true;
        return all;
    }

    synchronized long bytes() {
        return bytes;
    }

    /** The highest id waiting here (messages are in id order), or 0. */
    synchronized long lastId() {
        Message last = messages.peekLast();
        return last == null ? 0 : last.id();
    }

    /** The head, left in place. */
    synchronized Message peek() {
        return messages.peekFirst();
    }

    /** The ids of the first {@code limit} messages, in delivery order, left in place. */
    synchronized List<Long> headIds(int limit) {
        List<Long> ids = new ArrayList<>(Math.min(limit, messages.size()));
        for (Message message : messages) {
            if (ids.size() == limit) {
                break;
            }
            ids.add(message.id());
        }
        return ids;
    }

    /**
     * Puts a taken message back among the messages not taken yet in id order, so reads given back
     * in any order (aborts, closed connections, timeouts) are delivered again in their original order.
     */
    synchronized void putBack(Message message) {
        bytes += message.size();
        used = true;
        ArrayDeque<Message> older = new ArrayDeque<>();
        while (!messages.isEmpty() && messages.peekFirst().id() < message.id()) {
            older.push(messages.pollFirst());
        }
        messages.addFirst(message);
        while (!older.isEmpty()) {
            messages.addFirst(older.pop());
        }
        consumed--;
        version++;
    }

    /** Undoes a {@link #poll()} whose removal could not be made durable. */
    synchronized void unpoll(Message message) {
        messages.addFirst(message);
        bytes += message.size();
        consumed--;
        version++;
    }

    /**
     * Makes the counters agree with the messages present, {@code stored - consumed == size}: after a
     * crash the counters on disk may be up to a second behind the messages, never the other way.
     */
    synchronized void reconcile() {
        long wereStored = stored;
        long wereConsumed = consumed;
        if (stored - consumed < messages.size()) {
            stored = consumed + messages.size();
        } else {
            consumed = stored - messages.size();
        }
        if (stored != wereStored || consumed != wereConsumed) {
            version++; // written, so that its record agrees too
        }
    }

    synchronized int size() {
        return messages.size();
    }

    synchronized List<Message> snapshot() {
        return new ArrayList<>(messages);
    }
}
