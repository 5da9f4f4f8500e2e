package org.mcq.queues.store.derby;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueReport;
import org.mcq.queues.api.StorageException;

/**
 * A report of queues, those in memory and those put aside (only their records on disk), merged in
 * name order. The records are read a page at a time, so listing millions of queues holds one page.
 * A record is always read before the queue of its name in memory is looked at: the counters of a
 * queue made again by name count from nothing until its record is read and they are written, so a
 * record read first never holds them already (see {@link MessageQueue#dump}).
 */
final class QueueListing implements QueueReport {

    /** Records read at once: about 30 KB of {@code stats queue}, 180 KB of {@code dump_stats}. */
    static final int PAGE = 1000;

    /** Open reads and waiters by queue, as the queue set counted them when the listing began. */
    record Counts(Map<String, Integer> open, Map<String, Integer> waiting) {
        int openReads(String queue) {
            return open.getOrDefault(queue, 0);
        }

        int waiters(String queue) {
            return waiting.getOrDefault(queue, 0);
        }
    }

    private final QueueIndex index;
    private final MessageStore store;
    private final Executor reads;
    private final Counts counts;
    /** The queues in memory when the listing began, by name; each read when its page is made. */
    private final MessageQueue[] inMemory;
    private int nextInMemory;
    /** The last name of the records read so far; null before the first page. */
    private String after;
    private boolean recordsDone;
    private boolean done;

    private QueueListing(QueueIndex index, MessageStore store, Executor reads, Counts counts, MessageQueue[] inMemory) {
        this.index = index;
        this.store = store;
        this.reads = reads;
        this.counts = counts;
        this.inMemory = inMemory;
    }

    /** Every queue. */
    static QueueReport every(QueueIndex index, MessageStore store, Executor reads, Counts counts) {
        MessageQueue[] inMemory = index.all().toArray(MessageQueue[]::new);
        Arrays.sort(inMemory, Comparator.comparing(MessageQueue::name));
        return new QueueListing(index, store, reads, counts, inMemory);
    }

    /** The named queues that exist, once each, in one page (see {@link NamedListing}). */
    static QueueReport named(List<String> names, QueueIndex index, MessageStore store, Executor reads, Counts counts) {
        return NamedListing.report(names, index, store, reads, counts);
    }

    /**
     * Whether a record read is of a queue dropped already: a drop under way before or after it was
     * read (in no-sync mode a drop takes effect before it is written; one that ends while the record
     * is read may have been written just after).
     */
    static Predicate<String> gone(Set<String> before, Set<String> after) {
        if (before.isEmpty() && after.isEmpty()) {
            return name -> false;
        }
        return name -> before.contains("") || after.contains("") || before.contains(name) || after.contains(name);
    }

    /** A page on the executor for reads; empty once every queue was given. */
    @Override
    public CompletableFuture<List<QueueDump>> next() {
        if (done) {
            return CompletableFuture.completedFuture(List.of());
        }
        return CompletableFuture.supplyAsync(this::page, reads);
    }

    private List<QueueDump> page() {
        Set<String> dropping = index.beingDropped();
        List<MessageStore.QueueCounters> records;
        try {
            records = recordsDone ? List.of() : store.queuesAfter(after, PAGE);
        } catch (StorageException e) {
            throw new CompletionException(e);
        }
        recordsDone |= records.size() < PAGE;
        Predicate<String> gone = gone(dropping, index.beingDropped());
        // the queues in memory up to the last record read go with this page; after it, with the next
        String upTo = recordsDone ? null : records.get(records.size() - 1).name();
        long now = System.currentTimeMillis();
        List<QueueDump> page = new ArrayList<>(records.size());
        int nextRecord = 0;
        while (true) {
            MessageQueue queue = nextInMemory < inMemory.length
                    && (upTo == null || inMemory[nextInMemory].name().compareTo(upTo) <= 0) ? inMemory[nextInMemory] : null;
            MessageStore.QueueCounters record = nextRecord < records.size() ? records.get(nextRecord) : null;
            if (queue == null && record == null) {
                break;
            }
            int order = queue == null ? 1 : record == null ? -1 : queue.name().compareTo(record.name());
            if (order <= 0) {
                page.add(queue.dump(now, counts.openReads(queue.name()), counts.waiters(queue.name()), order == 0 ? record : null));
                nextInMemory++;
                nextRecord += order == 0 ? 1 : 0;
            } else {
                if (!gone.test(record.name())) {
                    page.add(putAside(record, counts));
                }
                nextRecord++;
            }
        }
        after = upTo;
        done = recordsDone && nextInMemory == inMemory.length;
        return page;
    }

    /** The figures of a queue put aside: empty, its counters those of its record. */
    static QueueDump putAside(MessageStore.QueueCounters record, Counts counts) {
        return new QueueDump(record.name(), 0, 0, 0, counts.openReads(record.name()),
                counts.waiters(record.name()), 0, 0, record.stored(), record.consumed());
    }

    /** Every page of a report, read on this thread and held at once: for few queues, or callers that need a list. */
    static List<QueueDump> whole(QueueReport report) {
        List<QueueDump> all = new ArrayList<>();
        while (true) {
            List<QueueDump> page;
            try {
                page = report.next().join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            }
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
        }
    }
}
