package org.mcq.queues.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.mcq.queues.rules.Fanout;

/**
 * Writes one batch of a lane in one transaction: sets, then confirmations and give-backs, then
 * reads, so a read sees what came before it in the batch. Nothing is answered before the commit;
 * then each operation is completed, local waiters are woken and the other servers told.
 */
final class BatchWriter {

    /** What a committed batch leaves to do: its answers, and the queues it brought messages to. */
    /** {@code waitingAgain}: the batch's reads that found nothing and wait on (their callers not answered). */
    record Committed(List<Runnable> answers, Set<String> arrivals, long commitNanos, int waitingAgain) {
    }

    /** What the batch did, applied once it is committed. */
    static final class Outcome {
        final List<Runnable> answers = new ArrayList<>();
        final TreeSet<String> arrivals = new TreeSet<>();
        final List<Take> empty = new ArrayList<>();
        /** Room reserved in readers' memory, given back if the batch fails. */
        final List<Runnable> unreserve = new ArrayList<>();
    }

    private final Waiters waiters;
    private final boolean fanout;
    private final Inserts inserts;
    private final LeaseEnds leaseEnds;
    private final HeadReads headReads;

    BatchWriter(SharedSettings settings, Counters counters, Waiters waiters, LimitsByQueue limits, AtomicLong tokens) {
        this.waiters = waiters;
        this.fanout = settings.fanout();
        this.inserts = new Inserts(counters, limits, fanout);
        this.leaseEnds = new LeaseEnds(settings, counters);
        this.headReads = new HeadReads(settings, counters, limits, tokens);
    }

    /**
     * How many of the ops, from the first, one batch may hold. A batch runs its ops by kind (sets,
     * confirmations, give-backs, then reads), which is their order but where a connection gives back
     * a read of a queue after it read that queue (one command, {@code get q q/abort}, or pipelined
     * ones): the give-back waits for the next batch, so the read does not take the message given back.
     * Ops of different connections in one batch were sent before either was answered: any order is
     * theirs.
     */
    static int inOrder(List<SharedOp> ops) {
        Set<List<Object>> read = null;
        for (int i = 0; i < ops.size(); i++) {
            SharedOp op = ops.get(i);
            if (op instanceof Take take) {
                if (read == null) {
                    read = new java.util.HashSet<>();
                }
                read.add(List.of(take.reader == null ? Take.class : take.reader, take.queue));
            } else if (op instanceof SharedOp.Release release && read != null && release.reader() != null
                    && read.contains(List.of(release.reader(), release.queue()))) {
                return i;
            }
        }
        return ops.size();
    }

    /**
     * Makes the records of the fanout subscribers the batch sets to or reads, first in its
     * transaction: from its commit, every server's sets copy to them. One statement, and only when
     * the batch names one.
     */
    private static void recordSubscribers(Connection c, Set<String> sets, Set<String> reads) throws SQLException {
        TreeSet<String> names = null; // in name order: two batches never wait for each other's rows
        for (Set<String> queues : List.of(sets, reads)) {
            for (String queue : queues) {
                if (Fanout.parentOf(queue) != null) {
                    if (names == null) {
                        names = new TreeSet<>();
                    }
                    names.add(queue);
                }
            }
        }
        if (names != null) {
            try (PreparedStatement record = c.prepareStatement(SharedSql.RECORD)) {
                record.setArray(1, c.createArrayOf("varchar", names.toArray(String[]::new)));
                record.executeUpdate();
            }
        }
    }

    /**
     * Applies the batch on {@code c} (not auto-committing) and commits. Nothing is answered here: the
     * caller runs the answers. On failure nothing was committed, nothing answered, no room kept.
     */
    Committed write(Connection c, List<SharedOp> ops) throws SQLException {
        Outcome outcome = new Outcome();
        Map<String, List<SharedOp.Insert>> inserts = new LinkedHashMap<>();
        List<SharedOp.Confirm> confirms = new ArrayList<>();
        List<SharedOp.Release> releases = new ArrayList<>();
        Map<String, List<Take>> takes = new LinkedHashMap<>();
        for (SharedOp op : ops) {
            if (op instanceof SharedOp.Insert insert) {
                inserts.computeIfAbsent(insert.queue(), q -> new ArrayList<>()).add(insert);
            } else if (op instanceof SharedOp.Confirm confirm) {
                confirms.add(confirm);
            } else if (op instanceof SharedOp.Release release) {
                releases.add(release);
            } else if (op instanceof Take take) {
                takes.computeIfAbsent(take.queue, q -> new ArrayList<>()).add(take);
            }
        }
        long commitNanos;
        try {
            if (fanout) {
                recordSubscribers(c, inserts.keySet(), takes.keySet());
            }
            if (!inserts.isEmpty()) {
                this.inserts.insert(c, inserts, outcome);
            }
            if (!confirms.isEmpty()) {
                leaseEnds.confirm(c, confirms, outcome);
            }
            if (!releases.isEmpty()) {
                leaseEnds.release(c, releases, outcome);
            }
            Map<String, List<Take>> tries = new LinkedHashMap<>();
            for (Map.Entry<String, List<Take>> queue : takes.entrySet()) {
                long arrivals = waiters.arrivals(queue.getKey());
                for (Take take : queue.getValue()) {
                    // noted before the head is read: an arrival committed after that read sends the take back
                    take.seenArrivals = arrivals;
                    if (take.waits && waiters.ended(take.reader)) {
                        // a waiting read sent here by an arrival (or on its first try) as its reader's input
                        // ended: what it took would go to a client that may be gone
                        take.expire();
                    } else if (take.beginTry()) {
                        tries.computeIfAbsent(queue.getKey(), q -> new ArrayList<>()).add(take);
                    }
                }
            }
            if (!tries.isEmpty()) {
                headReads.read(c, tries, outcome);
            }
            long began = System.nanoTime();
            c.commit();
            commitNanos = System.nanoTime() - began;
        } catch (SQLException | RuntimeException e) {
            outcome.unreserve.forEach(Runnable::run);
            throw e;
        }
        List<Runnable> after = outcome.answers;
        after.add(() -> {
            for (Take take : outcome.empty) {
                if (take.endTryEmpty()) {
                    waiters.await(take);
                }
            }
        });
        for (String queue : outcome.arrivals) {
            after.add(() -> waiters.arrived(queue));
        }
        return new Committed(after, outcome.arrivals, commitNanos, outcome.empty.size());
    }
}
