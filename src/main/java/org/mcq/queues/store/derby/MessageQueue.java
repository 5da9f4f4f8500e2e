package org.mcq.queues.store.derby;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.rules.QueueLimits;

/**
 * One named queue's in-memory index: its messages in FIFO order and their bytes
 * ({@link QueuedMessages}), its lifetime counters ({@link QueueTally}), and here its limits, the
 * messages admitted against them, expiry by age, whether it may leave memory, and its figures.
 *
 * <p>Three classes, one object: its monitor is the one lock of all three, and a queue (with a queue
 * per job, one per message) costs the heap no object more than one class did.
 */
final class MessageQueue extends QueuedMessages {

    private final QueueLimits limits;
    /** Messages accepted and not yet in the queue (sync mode: until their commit), oldest first, with their bytes. */
    private final ArrayDeque<Message> admitted = new ArrayDeque<>(0);
    private long admittedBytes;

    /** A queue read from its record at start: its counters are those on disk. */
    MessageQueue(String name, long stored, long consumed, QueueLimits limits) {
        super(name, stored, consumed);
        this.limits = limits;
    }

    /**
     * A queue made in memory by name, its counters at nothing: from nothing ({@code baseKnown}, it
     * has no record or its record is being dropped), or from what its record may hold, to be read.
     * Its counters are to be written, so it exists on disk too.
     */
    MessageQueue(String name, QueueLimits limits, boolean baseKnown) {
        super(name, baseKnown);
        this.limits = limits;
    }

    QueueLimits limits() {
        return limits;
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
     * A drop submitted after these sets takes them with the queue: the admitted messages with ids up
     * to {@code lastId} (their commits then find them gone, see {@link #join}), in id order.
     */
    synchronized List<Message> withdrawAdmittedUpTo(long lastId) {
        List<Message> early = new ArrayList<>(0);
        admitted.removeIf(message -> {
            if (message.id() <= lastId) {
                early.add(message);
                admittedBytes -= message.size();
                return true;
            }
            return false;
        });
        return early;
    }

    /** A fanout copy its limits refused: counted as stored and discarded, as a message dropped to make room is. */
    synchronized void refusedCopy() {
        stored++;
        discarded++;
        version++;
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
}
