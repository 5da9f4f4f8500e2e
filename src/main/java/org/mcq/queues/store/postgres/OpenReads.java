package org.mcq.queues.store.postgres;

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
final class OpenReads {

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

    /** The reader's open reads of the queue now, oldest first (leases may be still to come). */
    synchronized List<CompletableFuture<Lease>> held(Object reader, String queue) {
        ArrayDeque<CompletableFuture<Lease>> leases = held.get(new Key(reader, queue));
        return leases == null ? List.of() : new ArrayList<>(leases);
    }

    /**
     * Takes one of the reader's open reads of the queue, to settle it; false if it is no longer held
     * here, or holds nothing live (a read that took nothing, or past its timeout: then dropped).
     */
    synchronized boolean take(Object reader, String queue, CompletableFuture<Lease> lease, long now) {
        Key key = new Key(reader, queue);
        ArrayDeque<CompletableFuture<Lease>> leases = held.get(key);
        if (leases == null || !leases.remove(lease)) {
            return false;
        }
        if (leases.isEmpty()) {
            held.remove(key);
        }
        return !tookNothing(lease) && !pastTimeout(lease, now);
    }

    /**
     * How many of the reader's open reads of the queue hold (or may yet hold) a message. Those past
     * their timeout leave here, wherever they stand (a read still being taken may be ahead of them),
     * each counted once.
     */
    synchronized int count(Object reader, String queue, long now) {
        Key key = new Key(reader, queue);
        ArrayDeque<CompletableFuture<Lease>> leases = held.get(key);
        if (leases == null) {
            return 0;
        }
        leases.removeIf(lease -> tookNothing(lease) || pastTimeout(lease, now));
        if (leases.isEmpty()) {
            held.remove(key);
        }
        return leases.size();
    }

    /** A read answered without a message: it holds nothing (it leaves by itself once answered, see {@link #open}). */
    private static boolean tookNothing(CompletableFuture<Lease> lease) {
        return lease.isDone() && (lease.isCompletedExceptionally() || lease.getNow(null) == null);
    }

    /**
     * Whether the entry's lease is past its timeout; if so it is counted, so each caller must drop the
     * entry it asks about: a read that timed out is counted once, by whoever removes it.
     */
    private boolean pastTimeout(CompletableFuture<Lease> lease, long now) {
        Lease held = lease.isDone() && !lease.isCompletedExceptionally() ? lease.getNow(null) : null;
        if (held == null || held.expiresAtMillis() > now) {
            return false;
        }
        timedOut++;
        return true;
    }

    /**
     * Removes and yields everything the reader holds or is about to, to be given back; those past
     * their timeout are counted (the database gives them back by itself, but perhaps not yet).
     */
    synchronized List<CompletableFuture<Lease>> removeAll(Object reader, long now) {
        List<CompletableFuture<Lease>> removed = new ArrayList<>();
        held.entrySet().removeIf(entry -> {
            if (entry.getKey().reader() != reader) {
                return false;
            }
            for (CompletableFuture<Lease> lease : entry.getValue()) {
                pastTimeout(lease, now);
                removed.add(lease);
            }
            return true;
        });
        return removed;
    }

    /** The reader's open reads of the queue that are taken (their lease is known). */
    synchronized List<Lease> taken(Object reader, String queue) {
        List<Lease> taken = new ArrayList<>();
        for (CompletableFuture<Lease> lease : held(reader, queue)) {
            Lease known = lease.isDone() && !lease.isCompletedExceptionally() ? lease.getNow(null) : null;
            if (known != null) {
                taken.add(known);
            }
        }
        return taken;
    }

    /** Forgets the reader's open reads of the queue whose rows it no longer holds. */
    synchronized void forget(Object reader, String queue, List<Lease> lost) {
        Key key = new Key(reader, queue);
        ArrayDeque<CompletableFuture<Lease>> leases = held.get(key);
        if (leases != null) {
            leases.removeIf(lease -> lease.isDone() && !lease.isCompletedExceptionally()
                    && lost.contains(lease.getNow(null)));
            if (leases.isEmpty()) {
                held.remove(key);
            }
        }
    }

    /**
     * A flush confirmed every open read of the queue taken before it: no connection here holds one of
     * those now (a read still being taken may be after the flush, and is kept).
     */
    synchronized void forgetQueue(String queue) {
        held.entrySet().removeIf(entry -> {
            if (!entry.getKey().queue().equals(queue)) {
                return false;
            }
            entry.getValue().removeIf(CompletableFuture::isDone);
            return entry.getValue().isEmpty();
        });
    }

    /** Open reads found past their timeout ({@code open_read_timeouts}): each once, when it leaves here. */
    synchronized long timedOut() {
        return timedOut;
    }
}
