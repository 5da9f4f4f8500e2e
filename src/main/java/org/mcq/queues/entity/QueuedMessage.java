package org.mcq.queues.entity;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One stored message. Ids are assigned by the server in arrival order, so ordering by id within a
 * queue is FIFO order; the row is deleted when the message is consumed. There is deliberately no
 * index on the queue name in Derby: every row is found by id (the in-memory index knows them all),
 * and a second index would cost every insert and delete. In a shared PostgreSQL database the
 * database is the index: ids come from a sequence, pops find the head by queue name, and an open
 * read is a lease on its row ({@code LEASE_*}, null while the message waits).
 */
@Entity
@Table(name = "MESSAGES")
@NamedQuery(name = QueuedMessage.BY_IDS,
        query = "SELECT m.id, m.flags, m.storedAt, m.body FROM QueuedMessage m WHERE m.id IN :ids ORDER BY m.id")
public class QueuedMessage {

    /** Id, flags, time stored and body of the messages whose ids are the parameter {@code ids}, in id order. */
    public static final String BY_IDS = "QueuedMessage.byIds";

    @Id
    @Column(name = "ID")
    private long id;

    @Column(name = "QUEUE_NAME", length = 250, nullable = false)
    private String queue;

    /** The client's 32-bit unsigned flags, kept in a 64-bit column so none of them turns negative. */
    @Column(name = "FLAGS", nullable = false)
    private long flags;

    /**
     * When it was stored (ms since the epoch). Nullable, as is {@link #expiresAt}: a database made
     * before they existed is extended with them, and its rows have none.
     */
    @Column(name = "STORED_AT")
    private Long storedAt;

    /** When it expires (ms since the epoch); 0 or null: never. */
    @Column(name = "EXPIRES_AT")
    private Long expiresAt;

    /** The server holding it open (its {@code SERVERS} row), or null. */
    @Column(name = "LEASE_OWNER", length = 64)
    private String leaseOwner;

    /** Which open read holds it: a close or an abort matches it, so a lease taken over is not touched. */
    @Column(name = "LEASE_TOKEN")
    private Long leaseToken;

    /** When the open read times out (the database's clock, ms since the epoch). */
    @Column(name = "LEASE_UNTIL")
    private Long leaseUntil;

    @Lob
    @Basic(fetch = FetchType.LAZY)
    @Column(name = "BODY", length = Integer.MAX_VALUE, nullable = false)
    private byte[] body;

    protected QueuedMessage() {
    }

    public QueuedMessage(long id, String queue, long flags, byte[] body, long storedAt, long expiresAt) {
        this.id = id;
        this.queue = queue;
        this.flags = flags;
        this.body = body;
        this.storedAt = storedAt;
        this.expiresAt = expiresAt;
    }

    public long getStoredAt() {
        return storedAt == null ? 0 : storedAt;
    }

    public long getExpiresAt() {
        return expiresAt == null ? 0 : expiresAt;
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
