package org.mcq.shared.control;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The open reads this server's connections hold, per connection and queue, oldest first. The rows
 * themselves carry the lease in the database; this is what a {@code close} or {@code abort} on a
 * connection refers to, and what goes back when the connection does. An open read counts from the
 * moment it is asked for: a pipelined {@code close} right behind it confirms it once it is taken
 * (each entry yields the lease, or null if the read took nothing).
 */
final class Leases {

    private record Key(Object reader, String queue) {
    }

    private final Map<Key, ArrayDeque<CompletableFuture<Lease>>> held = new HashMap<>();
    private long timedOut;

    /** An open read asked for: completed with its lease once taken, or with null if nothing was. */
    synchronized CompletableFuture<Lease> open(Object reader, String queue) {
        CompletableFuture<Lease> lease = new CompletableFuture<>();
        Key key = new Key(reader, queue);
        held.computeIfAbsent(key, k -> new ArrayDeque<>()).add(lease);
        lease.thenAccept(taken -> {
            if (taken == null) {
                forget(key, lease); // a read that took nothing holds nothing
            }
        });
        return lease;
    }

    private synchronized void forget(Key key, CompletableFuture<Lease> lease) {
        ArrayDeque<CompletableFuture<Lease>> leases = held.get(key);
        if (leases != null && leases.remove(lease) && leases.isEmpty()) {
            held.remove(key);
        }
    }

    /** Removes and yields the reader's oldest open read of the queue (its lease may be still to come), or null. */
    synchronized CompletableFuture<Lease> takeOldest(Object reader, String queue, long now) {
        Key key = new Key(reader, queue);
        ArrayDeque<CompletableFuture<Lease>> leases = held.get(key);
        if (leases == null) {
            return null;
        }
        CompletableFuture<Lease> oldest = null;
        while (oldest == null && !leases.isEmpty()) {
            CompletableFuture<Lease> lease = leases.poll();
            if (isLive(lease, now)) {
                oldest = lease;
            }
        }
        if (leases.isEmpty()) {
            held.remove(key);
        }
        return oldest;
    }

    synchronized int count(Object reader, String queue, long now) {
        ArrayDeque<CompletableFuture<Lease>> leases = held.get(new Key(reader, queue));
        if (leases == null) {
            return 0;
        }
        int live = 0;
        for (CompletableFuture<Lease> lease : leases) {
            if (isLive(lease, now)) {
                live++;
            }
        }
        return live;
    }

    /** Whether an entry holds (or may yet hold) a message: not a read that took nothing, nor one past its timeout. */
    private boolean isLive(CompletableFuture<Lease> lease, long now) {
        if (!lease.isDone()) {
            return true;
        }
        Lease held = lease.getNow(null);
        if (held == null) {
            return false;
        }
        if (held.expiresAtMillis() <= now) {
            timedOut++;
            return false;
        }
        return true;
    }

    /** Removes and yields everything the reader holds or is about to. */
    synchronized List<CompletableFuture<Lease>> removeAll(Object reader) {
        List<CompletableFuture<Lease>> removed = new ArrayList<>();
        held.entrySet().removeIf(entry -> {
            if (entry.getKey().reader() != reader) {
                return false;
            }
            removed.addAll(entry.getValue());
            return true;
        });
        return removed;
    }

    synchronized long timedOut() {
        return timedOut;
    }
}
