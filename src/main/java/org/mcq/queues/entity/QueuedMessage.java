package org.mcq.queues.entity;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;

/**
 * One stored message. Ids are assigned by the server in arrival order, so ordering by id within a
 * queue is FIFO order; the row is deleted when the message is consumed. There is deliberately no
 * index on the queue name: every row is found by id (the in-memory index knows them all), and a
 * second index would cost every insert and delete.
 */
@Entity
@Table(name = "MESSAGES")
public class QueuedMessage {

    @Id
    @Column(name = "ID")
    private long id;

    @Column(name = "QUEUE_NAME", length = 250, nullable = false)
    private String queue;

    /** The client's 32-bit unsigned flags, kept in a 64-bit column so none of them turns negative. */
    @Column(name = "FLAGS", nullable = false)
    private long flags;

    @Lob
    @Basic(fetch = FetchType.LAZY)
    @Column(name = "BODY", length = Integer.MAX_VALUE, nullable = false)
    private byte[] body;

    protected QueuedMessage() {
    }

    public QueuedMessage(long id, String queue, long flags, byte[] body) {
        this.id = id;
        this.queue = queue;
        this.flags = flags;
        this.body = body;
    }

    public long getId() {
        return id;
    }

    public String getQueue() {
        return queue;
    }

    public long getFlags() {
        return flags;
    }

    public byte[] getBody() {
        return body;
    }
}
