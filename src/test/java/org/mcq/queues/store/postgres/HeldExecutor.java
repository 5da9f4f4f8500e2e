package org.mcq.queues.store.postgres;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/** An executor that runs nothing until told: what was handed to it waits, so a test sees what happens first. */
final class HeldExecutor implements Executor {

    private final ArrayDeque<Runnable> held = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
        held.add(task);
    }

    synchronized int held() {
        return held.size();
    }

    /** Runs on this thread what is held, and what that hands over, until nothing is left. */
    void runAll() {
        Runnable next;
        while ((next = poll()) != null) {
            next.run();
        }
    }

    private synchronized Runnable poll() {
        return held.poll();
    }
}
