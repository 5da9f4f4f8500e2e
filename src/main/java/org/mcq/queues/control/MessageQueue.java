package org.mcq.queues.control;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** One named queue's in-memory index: its messages in FIFO order and its lifetime counters. */
final class MessageQueue {

    private final String name;
    private final ArrayDeque<Message> messages = new ArrayDeque<>();
    private long stored;
    private long consumed;
    /** Whether the counters changed since they were last taken for writing. */
    private boolean dirty;

    MessageQueue(String name, long stored, long consumed) {
        this.name = name;
        this.stored = stored;
        this.consumed = consumed;
    }

    String name() {
        return name;
    }

    synchronized void append(Message message) {
        messages.addLast(message);
        stored++;
        dirty = true;
    }

    /** Puts back a message restored from disk without counting it as newly stored. */
    synchronized void restore(Message message) {
        messages.addLast(message);
    }

    synchronized Message poll() {
        Message message = messages.pollFirst();
        if (message != null) {
            consumed++;
            dirty = true;
        }
        return message;
    }

    /** The head, left in place. */
    synchronized Message peek() {
        return messages.peekFirst();
    }

    /**
     * Puts a taken message back among the messages not taken yet in id order, so reads given back
     * in any order (aborts, closed connections, timeouts) are delivered again in their original order.
     */
    synchronized void putBack(Message message) {
        ArrayDeque<Message> older = new ArrayDeque<>();
        while (!messages.isEmpty() && messages.peekFirst().id() < message.id()) {
            older.push(messages.pollFirst());
        }
        messages.addFirst(message);
        while (!older.isEmpty()) {
            messages.addFirst(older.pop());
        }
        consumed--;
        dirty = true;
    }

    /** Undoes a {@link #poll()} whose removal could not be made durable. */
    synchronized void unpoll(Message message) {
        messages.addFirst(message);
        consumed--;
        dirty = true;
    }

    /** {stored, consumed} if they changed since the last call, else null. */
    synchronized long[] takeChangedCounters() {
        if (!dirty) {
            return null;
        }
        dirty = false;
        return new long[] {stored, consumed};
    }

    /**
     * Makes the counters agree with the messages present, {@code stored - consumed == size}: after a
     * crash the counters on disk may be up to a second behind the messages, never the other way.
     */
    synchronized void reconcile() {
        if (stored - consumed < messages.size()) {
            stored = consumed + messages.size();
        } else {
            consumed = stored - messages.size();
        }
    }

    synchronized long stored() {
        return stored;
    }

    synchronized long consumed() {
        return consumed;
    }

    synchronized int size() {
        return messages.size();
    }

    synchronized List<Message> snapshot() {
        return new ArrayList<>(messages);
    }
}
