package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Workers loop on {@code get jobs/close/open} while a producer keeps setting; the server is killed
 * with SIGKILL, restarted and drained. In sync mode a confirmed read is never delivered again, and
 * everything acknowledged and not confirmed is there, in order: the reads open at the kill included.
 */
class ReliableReadCrashIT {

    private static final String QUEUE = "crash-jobs";
    private static final int WORKERS = 4;
    private static final int HELD = 5;

    @Test
    void confirmedReadsAreGoneAndOpenOnesComeBackAfterKill9() throws Exception {
        try (LibertyServer server = LibertyServer.start("crash-open", Map.of("MCQ_SYNC", "true"))) {
            Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
            Set<Integer> confirmed = ConcurrentHashMap.newKeySet();
            Set<Integer> opened = ConcurrentHashMap.newKeySet();
            // sent, answer cut off by the kill: a set that may be stored, a close that may be confirmed
            Set<Integer> setInDoubt = ConcurrentHashMap.newKeySet();
            Set<Integer> inDoubt = ConcurrentHashMap.newKeySet();
            List<Thread> clients = new ArrayList<>();
            clients.add(new Thread(() -> {
                int seq = 0;
                try (MemcacheClient producer = server.client()) {
                    while (true) {
                        setInDoubt.add(seq);
                        if (!"STORED".equals(producer.set(QUEUE, Integer.toString(seq)))) {
                            return;
                        }
                        acknowledged.add(seq);
                        setInDoubt.remove(seq++);
                    }
                } catch (IOException killed) {
                    // the server is gone
                }
            }));
            for (int w = 0; w < WORKERS; w++) {
                clients.add(new Thread(() -> {
                    // holds up to HELD reads open, confirms all but one, opens again: reads are open at any time
                    ArrayDeque<Integer> open = new ArrayDeque<>();
                    try (MemcacheClient worker = server.client()) {
                        while (true) {
                            while (open.size() < HELD) {
                                MemcacheClient.Item item = worker.get(QUEUE + "/open");
                                if (item == null) {
                                    break;
                                }
                                open.add(Integer.valueOf(item.text()));
                                opened.add(open.peekLast());
                            }
                            while (open.size() > 1) {
                                inDoubt.add(open.peek());
                                worker.retrieve("get " + QUEUE + "/close");
                                inDoubt.remove(open.peek());
                                confirmed.add(open.poll());
                            }
                        }
                    } catch (IOException killed) {
                        // the server is gone; what was open stays unconfirmed
                    }
                }));
            }
            clients.get(0).start();
            assertTrue(Eventually.holds(Duration.ofSeconds(60), () -> acknowledged.size() >= 300), "the producer is stuck");
            clients.subList(1, clients.size()).forEach(Thread::start); // the workers, once a backlog is there
            assertTrue(Eventually.holds(Duration.ofSeconds(60), () -> confirmed.size() >= 500 && acknowledged.size() >= 1000),
                    "load too slow: " + confirmed.size() + " confirmed, " + acknowledged.size() + " acknowledged");
            server.kill();
            for (Thread client : clients) {
                client.join(30_000);
            }
            server.startAgain();
            List<Integer> drained = new ArrayList<>();
            try (MemcacheClient c = server.client()) {
                MemcacheClient.Item item;
                while ((item = c.get(QUEUE)) != null) {
                    drained.add(Integer.valueOf(item.text()));
                }
            }
            Set<Integer> openAtKill = new HashSet<>(opened);
            openAtKill.removeAll(confirmed);
            Set<Integer> redelivered = new HashSet<>(drained);
            redelivered.retainAll(confirmed);
            redelivered.removeAll(inDoubt);
            Set<Integer> lost = new HashSet<>(acknowledged);
            lost.removeAll(confirmed);
            lost.removeAll(drained);
            lost.removeAll(inDoubt);
            System.out.printf("OPEN READS sync: acknowledged=%d opened=%d confirmed=%d open at the kill=%d drained=%d "
                            + "closes in doubt=%d redelivered after confirming=%d lost=%d%n", acknowledged.size(), opened.size(),
                    confirmed.size(), openAtKill.size(), drained.size(), inDoubt.size(), redelivered.size(), lost.size());
            assertEquals(Set.of(), redelivered, "confirmed reads delivered again");
            assertEquals(Set.of(), lost, "acknowledged and never confirmed, yet gone");
            assertTrue(drained.containsAll(openAtKill.stream().filter(m -> !inDoubt.contains(m)).toList()),
                    "reads open at the kill are delivered again");
            assertTrue(inDoubt.size() <= WORKERS && setInDoubt.size() <= 1, "one request in flight per client at most");
            Set<Integer> unexpected = new HashSet<>(drained);
            unexpected.removeAll(acknowledged);
            unexpected.removeAll(setInDoubt);
            assertEquals(Set.of(), unexpected, "drained what was never set");
            for (int i = 1; i < drained.size(); i++) {
                assertTrue(drained.get(i - 1) < drained.get(i), "out of order at " + i + ": " + drained);
            }
        }
    }
}
