package org.mcq.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Producers store unique numbered messages ({@code p<producer>-<seq>}) on a few queues while
 * consumers pop them, until the server is killed; then everything left is drained after a restart
 * and the three sets are compared.
 */
final class CrashLoad {

    /** One message as seen by the test: who made it, its sequence number, and when. */
    record Seen(String body, long atMillis) {
        int producer() {
            return Integer.parseInt(body.substring(1, body.indexOf('-')));
        }

        long seq() {
            return Long.parseLong(body.substring(body.indexOf('-') + 1));
        }
    }

    private final int producers;
    private final int consumers;
    private final List<String> queues;
    final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    /** Per consumer, per queue: what it received, in order. */
    final Map<String, List<Seen>> received = new ConcurrentHashMap<>();
    final Map<String, List<Seen>> drained = new HashMap<>();
    /** Replies other than STORED that ended a producer. */
    final List<String> refusals = Collections.synchronizedList(new ArrayList<>());
    long killedAt;
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch connected;

    CrashLoad(int producers, int consumers, List<String> queues) {
        this.producers = producers;
        this.consumers = consumers;
        this.queues = queues;
        this.connected = new CountDownLatch(producers + consumers);
    }

    /** Starts every client; returns once all are connected. */
    void start(LibertyServer server) throws InterruptedException {
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(started(new Thread(() -> produce(server, producer), "producer-" + p)));
        }
        for (int c = 0; c < consumers; c++) {
            int consumer = c;
            threads.add(started(new Thread(() -> consume(server, consumer), "consumer-" + c)));
        }
        connected.await();
    }

    private static Thread started(Thread thread) {
        thread.start();
        return thread;
    }

    /** Waits for every client to notice the crash. */
    void awaitClients() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(60_000);
        }
    }

    /** Clients still waiting for the server. */
    long clientsAlive() {
        return threads.stream().filter(Thread::isAlive).count();
    }

    private void produce(LibertyServer server, int producer) {
        try (MemcacheClient client = server.client()) {
            connected.countDown();
            for (long seq = 0; ; seq++) {
                String body = "p" + producer + "-" + seq;
                String queue = queues.get((int) (seq % queues.size()));
                String reply = client.set(queue, body);
                if (!reply.equals("STORED")) {
                    refusals.add(reply); // a stopping server refuses what it will not write
                    return;
                }
                acknowledged.put(queue + "/" + body, System.currentTimeMillis());
            }
        } catch (IOException crashed) {
            // the server was killed: the set in flight is neither acknowledged nor counted
        }
    }

    private void consume(LibertyServer server, int consumer) {
        try (MemcacheClient client = server.client()) {
            connected.countDown();
            for (long n = 0; ; n++) {
                String queue = queues.get((int) (n % queues.size()));
                MemcacheClient.Item item = client.get(queue);
                if (item != null) {
                    received.computeIfAbsent(consumer + "/" + queue, k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(new Seen(item.text(), System.currentTimeMillis()));
                }
            }
        } catch (IOException crashed) {
            // the server was killed: a get in flight may have taken a message that never arrived
        }
    }

    void drain(LibertyServer server) throws IOException {
        try (MemcacheClient client = server.client()) {
            for (String queue : queues) {
                List<Seen> list = new ArrayList<>();
                String body;
                while ((body = client.getText(queue)) != null) {
                    list.add(new Seen(body, System.currentTimeMillis()));
                }
                drained.put(queue, list);
            }
        }
    }

    /** Every delivery (received before the crash, drained after), keyed queue/body, with counts. */
    Map<String, Integer> deliveries() {
        Map<String, Integer> counts = new HashMap<>();
        received.forEach((key, list) -> {
            String queue = key.substring(key.indexOf('/') + 1);
            synchronized (list) {
                list.forEach(seen -> counts.merge(queue + "/" + seen.body(), 1, Integer::sum));
            }
        });
        drained.forEach((queue, list) -> list.forEach(seen -> counts.merge(queue + "/" + seen.body(), 1, Integer::sum)));
        return counts;
    }

    Set<String> lost() {
        Set<String> lost = new HashSet<>(acknowledged.keySet());
        lost.removeAll(deliveries().keySet());
        return lost;
    }

    Set<String> duplicates() {
        Set<String> duplicates = new HashSet<>();
        deliveries().forEach((key, count) -> {
            if (count > 1) {
                duplicates.add(key);
            }
        });
        return duplicates;
    }

    int receivedCount() {
        return received.values().stream().mapToInt(List::size).sum();
    }

    int drainedCount() {
        return drained.values().stream().mapToInt(List::size).sum();
    }

    /**
     * FIFO per producer within a queue: each consumer saw a producer's messages in rising order, the
     * drain did too, and everything drained of a producer comes after everything consumed of it.
     * Messages in {@code redelivered} (duplicates allowed in no-sync mode) are left out of the drain's
     * check: coming back is what makes them out of order. Returns the violations.
     */
    List<String> orderViolations(Set<String> redelivered) {
        List<String> violations = new ArrayList<>();
        Map<String, Long> lastConsumed = new HashMap<>();
        received.forEach((key, list) -> {
            String queue = key.substring(key.indexOf('/') + 1);
            Map<Integer, Long> last = new HashMap<>();
            synchronized (list) {
                for (Seen seen : list) {
                    Long before = last.put(seen.producer(), seen.seq());
                    if (before != null && before >= seen.seq()) {
                        violations.add(key + ": " + seen.body() + " after seq " + before);
                    }
                    lastConsumed.merge(queue + "/" + seen.producer(), seen.seq(), Math::max);
                }
            }
        });
        drained.forEach((queue, list) -> {
            Map<Integer, Long> last = new HashMap<>();
            for (Seen seen : list) {
                if (redelivered.contains(queue + "/" + seen.body())) {
                    continue;
                }
                Long before = last.put(seen.producer(), seen.seq());
                if (before != null && before >= seen.seq()) {
                    violations.add("drain " + queue + ": " + seen.body() + " after seq " + before);
                }
                Long consumed = lastConsumed.get(queue + "/" + seen.producer());
                if (consumed != null && consumed >= seen.seq()) {
                    violations.add("drain " + queue + ": " + seen.body() + " but seq " + consumed + " was consumed before");
                }
            }
        });
        return violations;
    }

    /** The latest receive time of a delivered message, by queue/body (for duplicates in no-sync mode). */
    Map<String, Long> firstReceived() {
        Map<String, Long> first = new HashMap<>();
        received.forEach((key, list) -> {
            String queue = key.substring(key.indexOf('/') + 1);
            synchronized (list) {
                list.forEach(seen -> first.merge(queue + "/" + seen.body(), seen.atMillis(), Math::min));
            }
        });
        return first;
    }
}
