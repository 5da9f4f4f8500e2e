package org.mcq.queues.store.derby;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.mcq.queues.api.StorageException;

/** A store in memory for the queue-logic tests; it can be told to refuse writes, like a full disk. */
final class MemoryStore implements MessageStore {

    final Map<Long, Batch.Insert> rows = new TreeMap<>();
    final Map<String, long[]> counters = new ConcurrentHashMap<>();
    final List<Batch> batches = new ArrayList<>();
    volatile boolean failing;
    /** Writes still to refuse before the store takes them again, as a disk that frees up would. */
    volatile int refusals;
    /** While set, a write waits here until it is counted down, as on a disk that stalls. */
    volatile CountDownLatch stall;
    /** How long each write takes, as a slow disk's forced write would; 0: none. */
    volatile long writeMillis;
    /** Writes that reached the store, a stalled one included. */
    final AtomicInteger writes = new AtomicInteger();

    /** Forgets everything, as a new database would. */
    synchronized void clear() {
        rows.clear();
        counters.clear();
        batches.clear();
    }

    @Override
    public long write(Batch batch) throws StorageException {
        writes.incrementAndGet();
        CountDownLatch stalled = stall;
        if (stalled != null) {
            try {
                stalled.await(); // outside the lock: the test reads the rows meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted", e);
            }
        }
        if (writeMillis > 0) {
            try {
                Thread.sleep(writeMillis); // the disk's time, not a wait for another thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted", e);
            }
        }
        apply(batch);
        return 0; // no commit of its own to time: the writer times the whole write
    }

    private synchronized void apply(Batch batch) throws StorageException {
        if (failing) {
            throw new StorageException("disk full", null);
        }
        if (refusals > 0) {
            refusals--;
            throw new StorageException("disk full", null);
        }
        batches.add(batch);
        long deleted = 0;
        boolean[] found = new boolean[batch.recordDrops().size()];
        for (int i = 0; i < found.length; i++) {
            String queue = batch.recordDrops().get(i);
            int count = queue == null ? counters.size() : counters.remove(queue) != null ? 1 : 0;
            if (queue == null) {
                counters.clear();
            }
            found[i] = count > 0;
            deleted += count;
        }
        for (Batch.Cleared cleared : batch.cleared()) {
            for (long[] range : cleared.ranges()) {
                rows.values().removeIf(row -> row.id() >= range[0] && row.id() <= range[1]
                        && (cleared.queue() == null || cleared.queue().equals(row.queue())));
            }
        }
        batch.deletes().forEach(rows::remove);
        for (Batch.Insert insert : batch.inserts()) {
            rows.put(insert.id(), insert);
        }
        long made = batch.counters().keySet().stream().filter(queue -> !counters.containsKey(queue)).count();
        counters.putAll(batch.counters());
        batch.recorded(made, deleted, found);
    }

    @Override
    public synchronized List<QueueCounters> queuesAfter(String after, int limit) {
        return counters.entrySet().stream()
                .filter(entry -> after == null || entry.getKey().compareTo(after) > 0)
                .sorted(Map.Entry.comparingByKey())
                .limit(limit)
                .map(entry -> new QueueCounters(entry.getKey(), entry.getValue()[0], entry.getValue()[1]))
                .toList();
    }

    @Override
    public synchronized Map<String, QueueCounters> counters(Collection<String> names) {
        Map<String, QueueCounters> found = new HashMap<>();
        for (String name : names) {
            long[] c = counters.get(name);
            if (c != null) {
                found.put(name, new QueueCounters(name, c[0], c[1]));
            }
        }
        return found;
    }

    @Override
    public synchronized long queueCount() {
        return counters.size();
    }

    @Override
    public synchronized List<QueueCounters> unsettledQueues() {
        return counters.entrySet().stream().filter(entry -> entry.getValue()[0] != entry.getValue()[1])
                .map(entry -> new QueueCounters(entry.getKey(), entry.getValue()[0], entry.getValue()[1])).toList();
    }

    @Override
    public synchronized List<String> namesHolding(char mark) {
        return counters.keySet().stream().filter(name -> name.indexOf(mark) >= 0).sorted().toList();
    }

    /** The records, by name: {stored, consumed}. */
    synchronized Map<String, List<Long>> records() {
        Map<String, List<Long>> records = new TreeMap<>();
        counters.forEach((name, c) -> records.put(name, List.of(c[0], c[1])));
        return records;
    }

    @Override
    public synchronized void forEachMessage(Consumer<StoredMessage> visitor) {
        rows.values().forEach(r -> visitor.accept(new StoredMessage(r.id(), r.queue(), r.flags(), r.body().length,
                r.storedAt(), r.expiresAt())));
    }

    @Override
    public synchronized byte[] body(long id) {
        Batch.Insert row = rows.get(id);
        return row == null ? null : row.body();
    }

    @Override
    public void ping() {
    }

    @Override
    public void checkpoint() {
    }

    @Override
    public void archive() {
    }

    synchronized List<String> bodiesOf(String queue) {
        List<String> bodies = new ArrayList<>();
        rows.values().stream().filter(r -> r.queue().equals(queue)).forEach(r -> bodies.add(new String(r.body())));
        return bodies;
    }
}
