package org.mcq.queues.store.derby;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mcq.queues.rules.QueueLimits;

/**
 * The counters that ride along with the writer's batches, around a drop of every queue in no-sync
 * mode: the drop takes effect at once and is written later, so a queue made meanwhile may have its
 * counters (and its record) written in a batch before the drop's, whose delete then takes that
 * record. The drop's batch writes them again, after its delete: were it the last (a stop), the
 * queue would otherwise be left without a record, and lost once emptied and put aside.
 */
class CounterCadenceTest {

    @Test
    void aQueueMadeDuringADropHasItsCountersWrittenAgainInTheDropsBatch() {
        QueueIndex index = new QueueIndex(new MemoryStore(), name -> QueueLimits.NONE, false);
        CounterCadence cadence = new CounterCadence(index, 1, () -> { });
        index.dropping(null); // flush_all submitted, applied in memory, not yet written
        index.getOrCreate("made-since");

        Batch before = new Batch(); // a batch of what came before the drop, built after the queue was made
        assertTrue(cadence.addTo(before, false, 10));
        assertEquals(Set.of("made-since"), before.counters().keySet());
        cadence.written(before, true, 10);

        Batch drop = new Batch();
        drop.dropAll(0, new long[0]);
        assertTrue(cadence.addTo(drop, false, 10), "a drop of every queue takes the counters along");
        assertArrayEquals(new long[] {0, 0}, drop.counters().get("made-since"),
                "written again after the delete of every record");
    }
}
