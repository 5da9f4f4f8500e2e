package org.mcq.queues.control;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One named queue's in-memory index: its messages in FIFO order, their bytes, its limits, its
 * lifetime counters (stored and consumed are written to disk; expired and discarded count since
 * start) and when it was last used.
 */
final class MessageQueue {

    private final String name;
    private final QueueLimits limits;
    private final ArrayDeque<Message> messages = new ArrayDeque<>();
    private long bytes;
    /** Messages accepted and not yet in the queue (sync mode: until their commit), with their bytes. */
    private long pending;
    private long pendingBytes;
    private long stored;
    private long consumed;
    private long expired;
    private long discarded;
    /** Whether the counters changed since they were last taken for writing. */
    private boolean dirty;
    /** Whether a message came or went since the idle sweep last looked (a flag, not a clock read per message). */
    private boolean used = true;

    MessageQueue(String name, long stored, long consumed, QueueLimits limits) {
        this.name = name;
        this.stored = stored;
        this.consumed = consumed;
        this.limits = limits;
    }

    String name() {
        return name;
    }

    QueueLimits limits() {
        return limits;
    }

    synchronized void append(Message message) {
        messages.addLast(message);
        bytes += message.size();
        stored++;
        dirty = true;
        used = true;
    }

    /** A message accepted now that joins the queue later ({@link #arrived}), counted against the limits meanwhile. */
    synchronized void admit(int size) {
        pending++;
        pendingBytes += size;
    }

    /** An admitted message joins (or, refused by the disk, never will). */
    synchronized void arrived(int size) {
        pending--;
        pendingBytes -= size;
    }

    /** Whether one more message of {@code size} fits within the limits, counting the admitted ones. */
    synchronized boolean fits(int size) {
        return limits.fits(messages.size() + pending, bytes + pendingBytes, size);
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
            dirty = true;
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

    /** Takes every message that may no longer be delivered at {@code now}, counted as expired. */
    synchronized List<Message> removeExpired(long now) {
        List<Message> gone = new ArrayList<>();
        messages.removeIf(message -> {
            if (message.expired(now, limits.maxAgeMillis())) {
                gone.add(message);
                bytes -= message.size();
                return true;
            }
            return false;
        });
        consumed += gone.size();
        expired += gone.size();
        dirty |= !gone.isEmpty();
        return gone;
    }

    /** Takes every message (a flush). */
    synchronized List<Message> pollAll() {
        List<Message> all = new ArrayList<>(messages);
        messages.clear();
        bytes = 0;
        consumed += all.size();
        dirty |= !all.isEmpty();
        used = true;
        return all;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized long expired() {
        return expired;
    }

    synchronized long discarded() {
        return discarded;
    }

    /**
     * The idle sweep's look: whether nothing is queued or on its way in and no message came or
     * went since its last look; forgets the use it saw.
     */
    synchronized boolean idleSinceLastLook() {
        boolean idle = messages.isEmpty() && pending == 0 && !used;
        used = false;
        return idle;
    }

    /** Whether nothing is queued or on its way in (sync mode: admitted, not yet committed). */
    synchronized boolean isSettledEmpty() {
        return messages.isEmpty() && pending == 0;
    }

    /** The highest id waiting here (messages are in id order), or 0. */
    synchronized long lastId() {
        Message last = messages.peekLast();
        return last == null ? 0 : last.id();
    }

    /**
     * Takes in a queue of the same name dropped in vain (its drop failed): its messages among these
     * in id order, its counters added.
     */
    synchronized void absorb(MessageQueue dropped) {
        for (Message message : dropped.snapshot()) {
            putBack(message);
            consumed++; // putBack counts a message given back; these were never taken
        }
        stored += dropped.stored();
        consumed += dropped.consumed();
        dirty = true;
    }

    /** The head, left in place. */
    synchronized Message peek() {
        return messages.peekFirst();
    }

    /** Its figures at {@code now}, with the counts the queue set keeps of it. */
    synchronized QueueSet.QueueDump dump(long now, int openReads, int waiters) {
        Message head = messages.peekFirst();
        long age = head == null || head.storedAt() == 0 ? 0 : Math.max(0, now - head.storedAt());
        return new QueueSet.QueueDump(name, messages.size(), bytes, age, openReads, waiters, expired, discarded,
                stored, consumed);
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
        dirty = true;
    }

    /** Undoes a {@link #poll()} whose removal could not be made durable. */
    synchronized void unpoll(Message message) {
        messages.addFirst(message);
        bytes += message.size();
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
