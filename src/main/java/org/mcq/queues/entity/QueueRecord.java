package org.mcq.queues.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A queue's lifetime counters, as {@code stats queue} shows them ({@code stored/consumed}); they
 * survive restarts and are dropped with the queue.
 */
@Entity
@Table(name = "QUEUES")
public class QueueRecord {

    @Id
    @Column(name = "NAME", length = 250)
    private String name;

    @Column(name = "STORED", nullable = false)
    private long stored;

    @Column(name = "CONSUMED", nullable = false)
    private long consumed;

    protected QueueRecord() {
    }

    public QueueRecord(String name, long stored, long consumed) {
        this.name = name;
        this.stored = stored;
        this.consumed = consumed;
    }

    public String getName() {
        return name;
    }

    public long getStored() {
        return stored;
    }

    public long getConsumed() {
        return consumed;
    }
}
