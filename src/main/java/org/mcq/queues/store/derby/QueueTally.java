package org.mcq.queues.store.derby;

/**
 * One named queue's lifetime counters (stored and consumed are written to disk; expired and
 * discarded count since it was last brought into memory), and how they stand against its record.
 *
 * <p>An empty queue whose counters are on disk is put aside (see {@link QueueIndex}); a queue made
 * again in memory by name may have a record from before, which is read only when its counters are
 * next written: until then its counters count from nothing ({@link #baseKnown} false) and what
 * reports it adds its record to them.
 *
 * <p>Part of a {@link MessageQueue}, under its lock: the fields are package-private so that the
 * messages coming and going there count here with no call between.
 */
abstract class QueueTally {

    final String name;
    long stored;
    long consumed;
    long expired;
    long discarded;
    /** Bumped by every change of the counters; what was taken for writing and what is on disk, by it. */
    long version;
    private long takenVersion;
    long writtenVersion;
    /** Whether stored and consumed include what its record held when it came into memory. */
    boolean baseKnown;
    /** Whether it has a record on disk. */
    boolean recorded;

    /** Counters read from its record: they are those on disk. */
    QueueTally(String name, long stored, long consumed) {
        this.name = name;
        this.stored = stored;
        this.consumed = consumed;
        this.baseKnown = true;
        this.recorded = true;
    }

    /** Counters at nothing, from nothing ({@code baseKnown}) or from a record to be read; to be written. */
    QueueTally(String name, boolean baseKnown) {
        this.name = name;
        this.baseKnown = baseKnown;
        this.version = 1;
    }

    String name() {
        return name;
    }

    synchronized long expired() {
        return expired;
    }

    synchronized long discarded() {
        return discarded;
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

    /** Counters taken for writing: {stored, consumed} as of {@code version}. */
    record Taken(QueueTally queue, long[] counters, long version) {
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

    synchronized long stored() {
        return stored;
    }

    synchronized long consumed() {
        return consumed;
    }
}
