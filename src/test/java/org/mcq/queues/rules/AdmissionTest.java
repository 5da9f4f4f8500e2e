package org.mcq.queues.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    /** Waiting messages by size, oldest first, beside some that count but cannot be dropped (rows another server has locked). */
    private static final class Queue implements Admission.Occupancy<RuntimeException> {
        final Deque<Integer> waiting = new ArrayDeque<>();
        final int admitted;
        final int admittedBytes;
        int dropped;

        Queue(List<Integer> sizes, int admitted, int admittedBytes) {
            waiting.addAll(sizes);
            this.admitted = admitted;
            this.admittedBytes = admittedBytes;
        }

        @Override
        public long messages() {
            return waiting.size() + admitted;
        }

        @Override
        public long bytes() {
            return waiting.stream().mapToInt(Integer::intValue).sum() + admittedBytes;
        }

        @Override
        public boolean dropOldest() {
            if (waiting.pollFirst() == null) {
                return false;
            }
            dropped++;
            return true;
        }
    }

    @Test
    void anUnboundedQueueTakesEverything() {
        Queue queue = new Queue(List.of(1, 2, 3), 0, 0);
        assertTrue(Admission.admit(QueueLimits.NONE, queue, 1 << 20));
        assertEquals(0, queue.dropped);
    }

    @Test
    void aFullRejectingQueueRefusesAndDropsNothing() {
        Queue queue = new Queue(List.of(1, 1), 0, 0);
        assertFalse(Admission.admit(new QueueLimits(2, 0, 0, false), queue, 1));
        assertEquals(0, queue.dropped);
        assertTrue(Admission.admit(new QueueLimits(3, 0, 0, false), queue, 1), "room for one more");
    }

    @Test
    void aDropOldestQueueDropsItsOldestUntilTheNewOneFits() {
        Queue queue = new Queue(List.of(4, 4, 4), 0, 0);
        assertTrue(Admission.admit(new QueueLimits(0, 10, 0, true), queue, 6)); // 12 + 6 bytes: two must go
        assertEquals(2, queue.dropped);
        assertEquals(List.of(4), List.copyOf(queue.waiting), "the newest stays");
    }

    @Test
    void aDropOldestQueueRefusesWhatCannotFitOnceNothingIsLeftToDrop() {
        Queue queue = new Queue(List.of(1), 2, 8); // two admitted, 8 bytes, not in the queue yet
        assertFalse(Admission.admit(new QueueLimits(0, 10, 0, true), queue, 5));
        assertEquals(1, queue.dropped, "what could go went first");
        Queue waiting = new Queue(List.of(1, 1), 0, 0);
        assertFalse(Admission.admit(new QueueLimits(0, 4, 0, true), waiting, 5), "larger than the limit");
        assertEquals(0, waiting.dropped, "nothing dropped in vain");
    }
}
