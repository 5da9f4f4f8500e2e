package org.mcq.queues.store.derby;

import java.util.function.Consumer;

/**
 * Stores a message. It joins its queue once committed (sync mode, and no-sync mode while the
 * writer is {@linkplain GroupCommit#holding holding}), or at once.
 */
final class Insert extends WriteOp {

    private final QueueIndex index;
    private final Bodies bodies;
    /** It joins its queue once committed, failed if its batch is refused; else it joined at once. */
    private final boolean joinsWhenWritten;
    private final String name;
    private final Message message;
    /** Serves the reads waiting for a message on the queue, when it joins once committed. */
    private final Consumer<String> arrived;
    /** What only this op keeps on the heap: a body within the budget is held by the index anyway. */
    private final int heldBytes;
    /** Writer thread: whether the first {@link #addTo} has settled if the row is written. */
    private boolean settled;
    /** Writer thread: a no-sync pop came before the writer; the row is never written. */
    private boolean skipped;

    /** The queue that counts the message against its limits until it joins; null if it joins at once. */
    private final MessageQueue admittedTo;

    /**
     * @param admittedTo the queue that counts the message against its limits until it joins once
     *                   committed; null if the caller makes it join at once ({@link #apply})
     */
    Insert(QueueIndex index, Bodies bodies, String name, Message message, MessageQueue admittedTo,
           Consumer<String> arrived) {
        this.index = index;
        this.admittedTo = admittedTo;
        this.joinsWhenWritten = admittedTo != null;
        if (admittedTo != null) {
            admittedTo.admit(message);
        }
        this.arrived = arrived;
        this.bodies = bodies;
        this.name = name;
        this.message = message;
        this.heldBytes = message.cached() ? 0 : message.size();
        message.awaitWrite();
    }

    /** The queue it stores into. */
    String queue() {
        return name;
    }

    /**
     * Makes the message visible to consumers; an admitted one joins in the same step as it stops
     * counting as admitted, unless a full queue dropped it for a later set meanwhile.
     */
    void apply() {
        if (admittedTo == null) {
            index.getOrCreate(name).append(message);
            return;
        }
        MessageQueue queue = index.get(name); // not made again for a message dropped meanwhile
        if (queue == admittedTo) {
            queue.join(message);
        } else if (admittedTo.withdraw(message)) {
            index.getOrCreate(name).append(message); // its queue was dropped meanwhile: it joins the one made since
        }
    }

    @Override
    int bytes() {
        return heldBytes;
    }

    @Override
    int writtenBytes() {
        return skipped ? 0 : message.size(); // the pop took the body's share off the backlog's work
    }

    @Override
    void addTo(Batch batch) {
        if (!settled) { // a carried op keeps what its first batch settled
            settled = true;
            skipped = !message.takeForWrite();
        }
        if (skipped) {
            batch.skipInsert(message.id()); // its removal is behind this op in the intake
        } else {
            batch.insert(name, message, message.body());
        }
    }

    @Override
    WhenRefused whenRefused() {
        return joinsWhenWritten ? WhenRefused.FAIL : WhenRefused.DEFER;
    }

    /** A caller waits for it, in no-sync mode too. */
    @Override
    boolean urgent() {
        return joinsWhenWritten;
    }

    @Override
    void committed() {
        if (joinsWhenWritten) {
            apply();
            arrived.accept(name); // before the body is evicted: a waiting read takes it from the heap
        }
        if (!message.cached()) {
            message.evict(); // on disk now; the budget has no room for it on the heap
        }
    }

    /**
     * Refused: it never joins. One a full queue dropped meanwhile had its body released then, and
     * stays counted as stored and discarded though its set fails.
     */
    @Override
    void failed() {
        if (admittedTo == null || admittedTo.withdraw(message)) {
            bodies.release(message);
        }
    }
}
