package org.mcq.queues.store.derby;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.rules.QueueLimits;

/**
 * One named queue's in-memory index: its messages in FIFO order, their bytes, its limits, its
 * lifetime counters (stored and consumed are written to disk; expired and discarded count since
 * it was last brought into memory) and when it was last used.
 *
 * <p>An empty queue whose counters are on disk is put aside (see {@link QueueIndex}); a queue made
 * again in memory by name may have a record from before, which is read only when its counters are
 * next written: until then its counters count from nothing ({@link #baseKnown} false) and what
 * reports it adds its record to them.
 */
final class MessageQueue {

    private final String name;
    private final QueueLimits limits;
    private final ArrayDeque<Message> messages = new ArrayDeque<>();
    private long bytes;
    /** Messages accepted and not yet in the queue (sync mode: until their commit), oldest first, with their bytes. */
    private final ArrayDeque<Message> admitted = new ArrayDeque<>(0);
    private long admittedBytes;
    private long stored;
    private long consumed;
    private long expired;
    private long discarded;
    /** Bumped by every change of the counters; what was taken for writing and what is on disk, by it. */
    private long version;
    private long takenVersion;
    private long writtenVersion;
    /** Whether stored and consumed include what its record held when it came into memory. */
    private boolean baseKnown;
    /** Whether it has a record on disk. */
    private boolean recorded;
    /** Whether a message came or went since the idle sweep last looked (a flag, not a clock read per message). */
    private boolean used = true;

    /** A queue read from its record at start: its counters are those on disk. */
    MessageQueue(String name, long stored, long consumed, QueueLimits limits) {
        this.name = name;
        this.stored = stored;
        this.consumed = consumed;
        this.limits = limits;
        this.baseKnown = true;
        this.recorded = true;
    }

    /**
     * A queue made in memory by name, its counters at nothing: from nothing ({@code baseKnown}, it
     * has no record or its record is being dropped), or from what its record may hold, to be read.
     * Its counters are to be written, so it exists on disk too.
     */
    MessageQueue(String name, QueueLimits limits, boolean baseKnown) {
        this.name = name;
        this.limits = limits;
        this.baseKnown = baseKnown;
        this.version = 1;
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
        version++;
        used = true;
    }

    /**
     * A message accepted now that joins the queue later ({@link #join}), counted against the limits
     * meanwhile, and the oldest to go when a full {@code drop-oldest} queue has nothing else to drop.
     */
    synchronized void admit(Message message) {
        admitted.addLast(message);
        admittedBytes += message.size();
    }

    /** An admitted message joins this queue, in one step; false if it was dropped meanwhile ({@link #dropAdmitted}). */
    synchronized boolean join(Message message) {
        if (!withdraw(message)) {
            return false;
        }
        append(message);
        return true;
    }

    /**
     * An admitted message stops counting here: it joins another queue of the name (this one was
     * dropped meanwhile), or never will (refused by the disk). False if it was dropped meanwhile.
     */
    synchronized boolean withdraw(Message message) {
        if (!admitted.removeFirstOccurrence(message)) {
            return false;
        }
        admittedBytes -= message.size();
        return true;
    }

    /**
     * Takes out the oldest message to make room, in one step: the head, else the oldest admitted
     * one (the writer may move admitted ones into the queue at any moment); null if there is none.
     */
    synchronized Message dropOldest() {
        Message head = discardHead();
        return head != null ? head : dropAdmitted();
    }

    /**
     * Drops the oldest admitted message to make room, counted as stored and discarded (its set is
     * answered {@code STORED}, as if it had joined and been dropped at once); null if none is
     * admitted. Its commit then finds it gone ({@link #join}); its row is the caller's to remove.
     */
    synchronized Message dropAdmitted() {
        Message message = admitted.pollFirst();
        if (message != null) {
            admittedBytes -= message.size();
            stored++;
            consumed++;
            discarded++;
            version++;
            used = true;
        }
        return message;
    }

    /** What counts against the limits: the waiting messages and the admitted ones. */
    synchronized long countedMessages() {
        return messages.size() + admitted.size();
    }

    /** The bytes of {@link #countedMessages}. */
    synchronized long countedBytes() {
        return bytes + admittedBytes;
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
        version += gone.isEmpty() ? 0 : 1;
        return gone;
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
        boolean idle = messages.isEmpty() && admitted.isEmpty() && !used;
        used = false;
        return idle;
    }

    /** Whether nothing is queued or on its way in (sync mode: admitted, not yet committed). */
    synchronized boolean isSettledEmpty() {
        return messages.isEmpty() && admitted.isEmpty();
    }

    /**
     * Whether it may leave memory, nothing of it lost: settled empty, and its record holds its
     * counters as they are (its expired and discarded counts since it came into memory go).
     */
    synchronized boolean mayBePutAside() {
        return messages.isEmpty() && admitted.isEmpty() && baseKnown && recorded && version == writtenVersion;
    }

    synchronized boolean baseKnown() {
        return baseKnown;
    }

    /** Its record (null: none) is read: its counters count from what that holds. */
    synchronized void resolveBase(MessageStore.QueueCounters record) {
        if (baseKnown) {
            return;
        }
        baseKnown = true;
        if (record != null) {
            stored += record.stored();
            consumed += record.consumed();
            recorded = true;
        }
    }

    /** A drop of its name failed: the record it was made to replace is still there, to be read. */
    synchronized void forgetBase() {
        baseKnown = false;
    }

    /** A batch deletes the record of its name, after it was made: its counters are to be written again, after the delete. */
    synchronized void recordDropped() {
        recorded = false;
        version++;
    }

    /** Whether it has a record on disk. */
    synchronized boolean recorded() {
        return recorded;
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
        baseKnown = dropped.baseKnown(); // it was made while the drop was pending: from nothing
        recorded |= dropped.recorded();
        version++;
    }

    /** The head, left in place. */
    synchronized Message peek() {
        return messages.peekFirst();
    }

    /** Its figures at {@code now}, with the counts the queue set keeps of it. */
    synchronized QueueDump dump(long now, int openReads, int waiters) {
        return dump(now, openReads, waiters, null);
    }

    /**
     * Its figures at {@code now}, its counters added to its {@code record} (null: none) if they count
     * from nothing yet. The record must have been read before this is called: its counters are not
     * written while they count from nothing, so it cannot hold them already.
     */
    synchronized QueueDump dump(long now, int openReads, int waiters, MessageStore.QueueCounters record) {
        Message head = messages.peekFirst();
        long age = head == null || head.storedAt() == 0 ? 0 : Math.max(0, now - head.storedAt());
        boolean add = !baseKnown && record != null;
        return new QueueDump(name, messages.size(), bytes, age, openReads, waiters, expired, discarded,
                stored + (add ? record.stored() : 0), consumed + (add ? record.consumed() : 0));
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

    /** Counters taken for writing: {stored, consumed} as of {@code version}. */
    record Taken(MessageQueue queue, long[] counters, long version) {
    }

    /**
     * Its counters if they changed since they were last taken and count from its record, else null;
     * {@link #written} once they are on disk.
     */
    synchronized Taken takeChangedCounters() {
        if (version == takenVersion || !baseKnown) {
            return null;
        }
        takenVersion = version;
        return new Taken(this, new long[] {stored, consumed}, version);
    }

    /** Its counters as of {@code version} are on disk, in its record. */
    synchronized void written(long version) {
        writtenVersion = Math.max(writtenVersion, version);
        recorded = true;
    }

    /** Whether its counters changed since they were last taken for writing. */
    synchronized boolean changed() {
        return version != takenVersion;
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
