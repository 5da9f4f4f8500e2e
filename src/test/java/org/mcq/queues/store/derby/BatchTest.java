package org.mcq.queues.store.derby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchTest {

    private static Message message(long id) {
        return new Message(id, 0, ("m" + id).getBytes(), 2);
    }

    static List<Long> insertedIds(Batch batch) {
        List<Long> ids = new ArrayList<>();
        batch.inserts().forEach(insert -> ids.add(insert.id()));
        return ids;
    }

    @Test
    void aMessageConsumedInTheBatchThatStoredItIsNeverWritten() {
        Batch batch = new Batch();
        batch.insert("q", message(1), "m1".getBytes());
        batch.insert("q", message(2), "m2".getBytes());
        batch.consume(1);
        batch.consume(7);
        assertEquals(List.of(2L), insertedIds(batch));
        assertEquals(List.of(7L), batch.deletes());
    }

    @Test
    void aSkippedInsertCancelsItsRemovalInTheSameBatchOnly() {
        Batch batch = new Batch();
        batch.skipInsert(1);
        batch.skipInsert(2);
        batch.consume(1);
        assertTrue(insertedIds(batch).isEmpty());
        assertTrue(batch.deletes().isEmpty(), "nothing to delete: the row was never written");
        Batch next = new Batch();
        next.consume(2);
        assertEquals(List.of(2L), next.deletes(), "cut from its insert's batch, the removal deletes no row but is harmless");
    }

    @Test
    void aDropDiscardsThePendingMessagesOfItsQueueUpToItsLastButTheOpenOnes() {
        Batch batch = new Batch();
        batch.insert("q", message(1), "m1".getBytes());
        batch.insert("r", message(2), "m2".getBytes());
        batch.insert("q", message(3), "m3 read open".getBytes());
        batch.insert("q", message(4), "m4".getBytes());
        batch.drop("q", 4, new long[] {3});
        batch.insert("q", message(5), "m5 stored after the drop".getBytes());
        assertEquals(List.of(2L, 3L, 5L), insertedIds(batch));
        assertEquals(Set.of("q"), batch.drops());
        assertEquals(1, batch.cleared().size());
        assertEquals(List.of(List.of(0L, 2L), List.of(4L, 4L)), ranges(batch.cleared().get(0)),
                "the stored rows up to the last, around the open one");
    }

    @Test
    void dropAllClearsEveryQueueButTheOpenReadsAndWhatCameAfter() {
        Batch batch = new Batch();
        batch.insert("q", message(1), "m1".getBytes());
        batch.insert("r", message(2), "m2 read open".getBytes());
        batch.consume(9);
        batch.dropAll(2, new long[] {2});
        batch.insert("r", message(3), "m3".getBytes());
        assertTrue(batch.dropsAll());
        assertEquals(List.of(2L, 3L), insertedIds(batch));
        assertEquals(List.of(List.of(0L, 1L)), ranges(batch.cleared().get(0)));
    }

    @Test
    void aDropOfAnEmptyQueueClearsNoRow() {
        Batch batch = new Batch();
        batch.drop("q", 0, new long[] {7});
        assertTrue(batch.cleared().isEmpty());
        assertEquals(Set.of("q"), batch.drops());
        assertEquals(List.of(List.of(0L, 2L), List.of(4L, 4L), List.of(8L, 9L)),
                ranges(new Batch.Cleared("q", 9, new long[] {3, 5, 6, 7})));
    }

    private static List<List<Long>> ranges(Batch.Cleared cleared) {
        return cleared.ranges().stream().map(range -> List.of(range[0], range[1])).toList();
    }
}
