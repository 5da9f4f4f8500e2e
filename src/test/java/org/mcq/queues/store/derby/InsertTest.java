package org.mcq.queues.store.derby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mcq.queues.store.derby.BatchTest.insertedIds;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mcq.queues.rules.QueueLimits;

/** No-sync mode: a pop and the writer race for a message's insert; exactly one of them has it. */
class InsertTest {

    private static final int SIZE = 64 * 1024;

    private static Insert insertOf(Message message) {
        return new Insert(new QueueIndex(new MemoryStore(), name -> QueueLimits.NONE, false), null, "q", message, null, name -> { });
    }

    @Test
    void aPopBeforeTheWriterSkipsTheRowAndLetsTheBodyGo() {
        Message message = new Message(1, 0, new byte[SIZE], SIZE);
        Insert insert = insertOf(message);
        long workAtSubmit = Intake.work(insert);

        assertTrue(message.consumedUnwritten(), "the pop came first");
        assertNull(message.body(), "nothing holds the body until the next flush");
        Batch batch = new Batch();
        insert.addTo(batch);
        batch.consume(1);
        assertTrue(insertedIds(batch).isEmpty());
        assertTrue(batch.deletes().isEmpty());
        assertEquals(1, Intake.work(insert), "the pop took the body's share of the backlog's work off");
        assertEquals(workAtSubmit - 1, SIZE / 512, "which is what it had added");

        Batch retried = new Batch(); // a refused batch is carried: the retry settles the same way
        insert.addTo(retried);
        assertTrue(insertedIds(retried).isEmpty());
    }

    @Test
    void aPopAfterTheWriterTookTheInsertLeavesItToBeWrittenAndDeleted() {
        Message message = new Message(2, 0, new byte[SIZE], SIZE);
        Insert insert = insertOf(message);
        Batch batch = new Batch();
        insert.addTo(batch);

        assertFalse(message.consumedUnwritten(), "the writer came first");
        assertNotNull(message.body(), "kept for a retry of the batch");
        assertEquals(List.of(2L), insertedIds(batch));
        Batch retried = new Batch();
        insert.addTo(retried);
        assertEquals(List.of(2L), insertedIds(retried), "a carried insert is written again, body and all");
        assertEquals(1 + SIZE / 512, Intake.work(insert));
    }
}
