package org.mcq.queues.store.derby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueReport;
import org.mcq.queues.rules.QueueLimits;

/**
 * The listing behind {@code stats queue} and {@code dump_stats}: records read a page at a time,
 * merged in name order with the queues in memory, each queue once.
 */
class QueueListingTest {

    private static final QueueListing.Counts NONE = new QueueListing.Counts(Map.of(), Map.of());

    private final MemoryStore store = new MemoryStore();
    private final QueueIndex index = new QueueIndex(store, name -> QueueLimits.NONE, false);

    private void record(String name, long stored, long consumed) {
        store.counters.put(name, new long[] {stored, consumed});
    }

    /** A queue in memory, made by name (counting from nothing until its record is read), with one message. */
    private void inMemory(String name, long id) {
        index.getOrCreate(name).append(new Message(id, 0, new byte[] {'x'}, 1));
    }

    private static List<List<QueueDump>> pages(QueueReport report) {
        List<List<QueueDump>> pages = new ArrayList<>();
        for (List<QueueDump> page = report.next().join(); !page.isEmpty(); page = report.next().join()) {
            pages.add(page);
        }
        return pages;
    }

    @Test
    void everyQueueOnceInNameOrderAPageOfRecordsAtATime() {
        int records = QueueListing.PAGE * 2 + 500;
        for (int i = 0; i < records; i++) {
            record(String.format("r-%05d", i), i, i);
        }
        inMemory("a-first", 1);
        inMemory("r-01000", 2); // has a record too: counts on from it
        inMemory("r-01000+", 3); // between two records
        inMemory("zz-last", 4);
        List<List<QueueDump>> pages = pages(QueueListing.every(index, store, Runnable::run, NONE));
        assertEquals(3, pages.size(), "a page per thousand records, the queues in memory among them");
        List<String> names = pages.stream().flatMap(List::stream).map(QueueDump::name).toList();
        assertEquals(records + 3, names.size());
        assertEquals(new ArrayList<>(new java.util.TreeSet<>(names)), names, "in name order, each once");
        assertEquals("a-first", names.get(0));
        assertEquals("zz-last", names.get(names.size() - 1));
        Map<String, QueueDump> byName = new TreeMap<>();
        pages.stream().flatMap(List::stream).forEach(dump -> byName.put(dump.name(), dump));
        assertEquals(new QueueDump("r-01000", 1, 1, byName.get("r-01000").ageMillis(), 0, 0, 0, 0, 1001, 1000),
                byName.get("r-01000"), "its record's counters and its own since it was made");
        assertEquals(new QueueDump("r-00007", 0, 0, 0, 0, 0, 0, 0, 7, 7), byName.get("r-00007"));
    }

    @Test
    void aRecordWhoseQueueIsBeingDroppedIsNotListed() {
        record("a", 1, 1);
        record("b", 2, 2);
        index.dropping("a");
        List<String> names = pages(QueueListing.every(index, store, Runnable::run, NONE)).stream()
                .flatMap(List::stream).map(QueueDump::name).toList();
        assertEquals(List.of("b"), names, "in no-sync mode a drop takes effect before its record goes");
        assertEquals(List.of(), pages(QueueListing.named(List.of("a"), index, store, Runnable::run, NONE)));
        index.dropEnded("a", false); // refused: its record stays, and is listed again
        assertEquals(2, pages(QueueListing.named(List.of("a", "b"), index, store, Runnable::run, NONE)).get(0).size());
    }

    @Test
    void namedQueuesAreReadFromMemoryOrTheirRecordsOnceEach() {
        record("put-aside", 3, 3);
        inMemory("made", 1);
        QueueReport report = QueueListing.named(List.of("put-aside", "made", "nowhere", "made"), index, store,
                Runnable::run, NONE);
        List<QueueDump> page = report.next().join();
        assertEquals(List.of("made", "put-aside"), page.stream().map(QueueDump::name).toList());
        assertEquals(1, page.get(0).totalItems());
        assertEquals(3, page.get(1).totalItems());
        assertTrue(report.next().join().isEmpty());
    }

    @Test
    void queuesInMemoryThatCountFromTheirRecordsAreReportedAtOnce() {
        MessageQueue known = index.getOrCreate("known");
        known.resolveBase(null);
        ReadProbe probe = new ReadProbe();
        QueueReport report = QueueListing.named(List.of("known"), index, store, probe, NONE);
        assertEquals(1, report.next().join().size());
        assertFalse(probe.used, "nothing to read: no thread for it");
    }

    /** An executor that tells whether it was asked to run anything. */
    private static final class ReadProbe implements java.util.concurrent.Executor {
        boolean used;

        @Override
        public void execute(Runnable command) {
            used = true;
            command.run();
        }
    }
}
