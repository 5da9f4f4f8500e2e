package org.mcq.queues.store.derby;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueReport;
import org.mcq.queues.api.StorageException;

/**
 * The figures of named queues, each from memory or from its record. A record serves a queue
 * counting from it only if read before the queue was looked at, and a queue not in memory only
 * if read while it was not (a queue leaves memory once its record holds its counters, and may
 * come back counting from it): so figures are made, the records they lack read, and figures made
 * again, until none lacks one.
 */
final class NamedListing {

    private static final int ROUNDS = 8;

    /**
     * The named queues that exist, once each, in one page: made at once when all are in memory
     * counting from their records, else on {@code reads}.
     */
    static QueueReport report(List<String> names, QueueIndex index, MessageStore store, Executor reads,
                              QueueListing.Counts counts) {
        NamedListing named = new NamedListing(new TreeSet<>(names), index, store, counts);
        List<QueueDump> atOnce = named.figures();
        if (atOnce != null) {
            return QueueReport.of(atOnce);
        }
        return QueueReport.of(() -> CompletableFuture.supplyAsync(named::read, reads));
    }

    private final TreeSet<String> names;
    private final QueueIndex index;
    private final MessageStore store;
    private final QueueListing.Counts counts;
    private final Map<String, MessageStore.QueueCounters> records = new HashMap<>();
    /** Names whose record was read: while not in memory, or at all. */
    private final Set<String> readWhileOut = new HashSet<>();
    private final Set<String> read = new HashSet<>();
    private final List<String> lacking = new ArrayList<>();

    private NamedListing(TreeSet<String> names, QueueIndex index, MessageStore store, QueueListing.Counts counts) {
        this.names = names;
        this.index = index;
        this.store = store;
        this.counts = counts;
    }

    /** Reads records until the figures lack none (or after a few rounds, as they are). */
    List<QueueDump> read() {
        for (int round = 0; ; round++) {
            List<QueueDump> page = figures();
            if (page != null) {
                return page;
            }
            if (round == ROUNDS) {
                lacking.clear();
                return figures(); // a name made and put aside again and again meanwhile: as it is now
            }
            readLacking();
        }
    }

    /** The figures, or null if some lack a record ({@link #lacking} says which). */
    List<QueueDump> figures() {
        long now = System.currentTimeMillis();
        List<QueueDump> page = new ArrayList<>(names.size());
        lacking.clear();
        for (String name : names) {
            MessageQueue queue = index.get(name);
            MessageStore.QueueCounters record = records.get(name);
            if (queue == null) {
                if (!readWhileOut.contains(name)) {
                    lacking.add(name);
                } else if (record != null) {
                    page.add(QueueListing.putAside(record, counts));
                }
            } else if (!queue.baseKnown() && !read.contains(name)) {
                lacking.add(name);
            } else {
                page.add(queue.dump(now, counts.openReads(name), counts.waiters(name), record));
            }
        }
        return lacking.isEmpty() ? page : null;
    }

    private void readLacking() {
        List<String> names = List.copyOf(lacking);
        List<String> out = names.stream().filter(name -> index.get(name) == null).toList();
        Set<String> dropping = index.beingDropped();
        Map<String, MessageStore.QueueCounters> found;
        try {
            found = store.counters(names);
        } catch (StorageException e) {
            throw new CompletionException(e);
        }
        Predicate<String> gone = QueueListing.gone(dropping, index.beingDropped());
        for (String name : names) {
            MessageStore.QueueCounters record = found.get(name);
            if (record != null && !gone.test(name)) {
                records.put(name, record);
            } else {
                records.remove(name);
            }
        }
        read.addAll(names);
        readWhileOut.addAll(out);
    }
}
