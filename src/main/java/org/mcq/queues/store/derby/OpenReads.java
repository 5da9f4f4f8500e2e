package org.mcq.queues.store.derby;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The messages each reader (a connection) has taken with {@code open} and not yet confirmed or
 * given back, per queue, oldest first. Opening removes nothing from disk, so what is here is
 * delivered again after a crash. Not thread-safe: {@link QueueSet} uses it under its lock.
 */
final class OpenReads {

    /** What became of an open read's delivery. */
    enum Delivered { YES, FAILED, GONE }

    /**
     * A message held open by a reader since {@code openedAt} ({@link System#nanoTime}); {@code delivered}
     * completes once its body is in hand (read back from disk, if it had been evicted), so nothing
     * confirms it and deletes its row before then.
     */
    record OpenRead(String queue, Message message, long openedAt, CompletableFuture<Delivered> delivered) {
    }

    private static final CompletableFuture<Delivered> IN_HAND = CompletableFuture.completedFuture(Delivered.YES);

    private static final Comparator<OpenRead> BY_ID = Comparator.comparingLong(read -> read.message().id());

    private final Map<Object, Map<String, ArrayDeque<OpenRead>>> byReader = new HashMap<>();
    private int total;

    int count(Object reader, String queue) {
        Map<String, ArrayDeque<OpenRead>> reads = byReader.get(reader);
        ArrayDeque<OpenRead> open = reads == null ? null : reads.get(queue);
        return open == null ? 0 : open.size();
    }

    /** Holds the message open for the reader; {@code inHand}: its body is on the heap, nothing to read back. */
    OpenRead add(Object reader, String queue, Message message, boolean inHand) {
        OpenRead read = new OpenRead(queue, message, System.nanoTime(), inHand ? IN_HAND : new CompletableFuture<>());
        byReader.computeIfAbsent(reader, r -> new HashMap<>()).computeIfAbsent(queue, q -> new ArrayDeque<>())
                .addLast(read);
        total++;
        return read;
    }

    /** Takes the reader's oldest open read of the queue, or null. */
    OpenRead removeOldest(Object reader, String queue) {
        Map<String, ArrayDeque<OpenRead>> reads = byReader.get(reader);
        ArrayDeque<OpenRead> open = reads == null ? null : reads.get(queue);
        if (open == null) {
            return null;
        }
        OpenRead read = open.pollFirst();
        forgetIfEmpty(reader, reads, queue, open);
        total--;
        return read;
    }

    /** Takes back one open read that could not be delivered; false if it is not held. */
    boolean remove(Object reader, String queue, Message message) {
        Map<String, ArrayDeque<OpenRead>> reads = byReader.get(reader);
        ArrayDeque<OpenRead> open = reads == null ? null : reads.get(queue);
        if (open == null || !open.removeIf(read -> read.message() == message)) {
            return false;
        }
        forgetIfEmpty(reader, reads, queue, open);
        total--;
        return true;
    }

    /** Takes every open read of the reader, oldest message first. */
    List<OpenRead> removeAll(Object reader) {
        Map<String, ArrayDeque<OpenRead>> reads = byReader.remove(reader);
        if (reads == null) {
            return List.of();
        }
        List<OpenRead> all = new ArrayList<>();
        reads.values().forEach(all::addAll);
        all.sort(BY_ID);
        total -= all.size();
        return all;
    }

    /** Takes every open read opened before {@code deadline} ({@link System#nanoTime}), oldest message first. */
    List<OpenRead> removeOpenedBefore(long deadline) {
        List<OpenRead> stale = new ArrayList<>();
        Iterator<Map.Entry<Object, Map<String, ArrayDeque<OpenRead>>>> readers = byReader.entrySet().iterator();
        while (readers.hasNext()) {
            Map<String, ArrayDeque<OpenRead>> reads = readers.next().getValue();
            Iterator<ArrayDeque<OpenRead>> queues = reads.values().iterator();
            while (queues.hasNext()) {
                ArrayDeque<OpenRead> open = queues.next();
                while (!open.isEmpty() && open.peekFirst().openedAt() - deadline < 0) {
                    stale.add(open.pollFirst());
                }
                if (open.isEmpty()) {
                    queues.remove();
                }
            }
            if (reads.isEmpty()) {
                readers.remove();
            }
        }
        stale.sort(BY_ID);
        total -= stale.size();
        return stale;
    }

    /** Takes every open read of the queue, by all readers (a flush confirms them); their messages. */
    List<Message> removeQueue(String queue) {
        List<Message> messages = new ArrayList<>();
        Iterator<Map.Entry<Object, Map<String, ArrayDeque<OpenRead>>>> readers = byReader.entrySet().iterator();
        while (readers.hasNext()) {
            Map<String, ArrayDeque<OpenRead>> reads = readers.next().getValue();
            ArrayDeque<OpenRead> open = reads.remove(queue);
            if (open != null) {
                open.forEach(read -> messages.add(read.message()));
            }
            if (reads.isEmpty()) {
                readers.remove();
            }
        }
        total -= messages.size();
        return messages;
    }

    /** The ids of the messages read open on the queue (null: on any queue), by all readers, ascending. */
    long[] ids(String queue) {
        List<Long> ids = new ArrayList<>();
        for (Map<String, ArrayDeque<OpenRead>> reads : byReader.values()) {
            reads.forEach((name, open) -> {
                if (queue == null || queue.equals(name)) {
                    open.forEach(read -> ids.add(read.message().id()));
                }
            });
        }
        return ids.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** Open reads held now per queue, by all readers. */
    Map<String, Integer> countByQueue() {
        Map<String, Integer> counts = new HashMap<>();
        for (Map<String, ArrayDeque<OpenRead>> reads : byReader.values()) {
            reads.forEach((queue, open) -> counts.merge(queue, open.size(), Integer::sum));
        }
        return counts;
    }

    /** Open reads held now, by all readers. */
    int total() {
        return total;
    }

    private void forgetIfEmpty(Object reader, Map<String, ArrayDeque<OpenRead>> reads, String queue,
                               ArrayDeque<OpenRead> open) {
        if (open.isEmpty()) {
            reads.remove(queue);
            if (reads.isEmpty()) {
                byReader.remove(reader);
            }
        }
    }
}
