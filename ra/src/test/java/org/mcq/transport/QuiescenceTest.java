package org.mcq.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QuiescenceTest {

    @Test
    void aStopWaitsForTheRepliesUnderWayAndNoLonger() throws Exception {
        Quiescence quiescence = new Quiescence();
        quiescence.waitBegins();
        quiescence.waitBegins();
        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> {
            try {
                return quiescence.stop(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (!quiescence.stopping()) {
            Thread.onSpinWait(); // the stop has begun; nothing else to observe
        }
        quiescence.waitEnds();
        assertFalse(stopped.isDone() && stopped.join(), "one reply is still under way");
        quiescence.waitEnds();
        assertTrue(stopped.get(10, TimeUnit.SECONDS), "the last reply out ends the stop");
    }

    @Test
    void aStopGivesUpAtItsTimeout() throws Exception {
        Quiescence quiescence = new Quiescence();
        quiescence.waitBegins();
        assertFalse(quiescence.stop(50, TimeUnit.MILLISECONDS));
    }
}
