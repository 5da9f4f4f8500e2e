package org.mcq.queues.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A server sharing the database, while it runs: its heartbeat (the database's clock) tells the
 * others whether its open reads are still held. A start makes a new row; a clean stop removes it.
 */
@Entity
@Table(name = "SERVERS")
@NamedQuery(name = ServerRecord.ALL, query = "SELECT s FROM ServerRecord s ORDER BY s.startedAt")
public class ServerRecord {

    public static final String ALL = "ServerRecord.all";

    @Id
    @Column(name = "ID", length = 64)
    private String id;

    /** Where its memcache port listens, as it describes itself. */
    @Column(name = "ADDRESS", length = 250, nullable = false)
    private String address;

    @Column(name = "STARTED_AT", nullable = false)
    private long startedAt;

    @Column(name = "HEARTBEAT", nullable = false)
    private long heartbeat;

    protected ServerRecord() {
    }

    public String getId() {
        return id;
    }

    public String getAddress() {
        return address;
    }

    public long getStartedAt() {
        return startedAt;
    }

    public long getHeartbeat() {
        return heartbeat;
    }
}
