package org.mcq.queues.control;

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
    void aDropDiscardsThePendingMessagesOfItsQueueAndDeletesTheStoredOnes() {
        Batch batch = new Batch();
        batch.insert("q", message(1), "m1".getBytes());
        batch.insert("r", message(2), "m2".getBytes());
        batch.drop("q", new long[] {0});
        batch.insert("q", message(3), "m3".getBytes());
        assertEquals(List.of(2L, 3L), insertedIds(batch));
        assertEquals(List.of(0L), batch.deletes());
        assertEquals(Set.of("q"), batch.drops());
    }

    @Test
    void dropAllForgetsEverythingBeforeIt() {
        Batch batch = new Batch();
        batch.insert("q", message(1), "m1".getBytes());
        batch.consume(9);
        batch.dropAll();
        batch.insert("r", message(2), "m2".getBytes());
        assertTrue(batch.dropsAll());
        assertEquals(List.of(2L), insertedIds(batch));
        assertTrue(batch.deletes().isEmpty());
    }
}
