package org.mcq.memcache.control;

import static org.mcq.memcache.control.Replies.now;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mcq.listener.ClientConnection;
import org.mcq.protocol.ReadKey;
import org.mcq.protocol.Reply;
import org.mcq.protocol.Value;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.OpenReadLost;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;

/**
 * {@code get} and {@code gets}: each key a read of its queue, with Kestrel's options, under the rules
 * both stores share (the open-read allowance, the longest wait, the order of a command's keys).
 */
final class Retrievals {

    private static final Logger LOG = Logger.getLogger(Retrievals.class.getName());
    /** memcached's answer when it cannot allocate a get's reply; nothing was taken from the queue. */
    private static final Reply NO_ROOM = Reply.serverError("out of memory writing get response");
    private static final Reply TOO_MANY_OPEN = Reply.clientError("too many open reads");

    private final QueueOperations operations;
    private final Statistics statistics;
    private final int maxOpenReads;
    private final long maxWaitMillis;

    Retrievals(QueueOperations operations, Statistics statistics, int maxOpenReads, long maxWaitMillis) {
        this.operations = operations;
        this.statistics = statistics;
        this.maxOpenReads = maxOpenReads;
        this.maxWaitMillis = maxWaitMillis;
    }

    /**
     * Reads once per key occurrence, in key order, all at once, so their removals share one commit.
     * A key may carry Kestrel's options (see {@link ReadKey}): each key's own apply. Each body is
     * reserved from the connection's memory budget before it is taken; when there is no room, the
     * keys from there on are not read (their messages stay queued) and the reply ends with what was
     * taken, or is memcached's out-of-memory error if nothing was. Opens past the connection's
     * allowance refuse the whole command before anything is read.
     */
    CompletionStage<Reply> get(List<ReadKey> reads, ClientConnection connection, boolean withCas) {
        String over = opensTooMany(reads, connection);
        if (over != null) {
            // what another server flushed or took over may still count here: recounted, then decided
            return operations.recountOpenReads(over, connection).thenCompose(recounted ->
                    opensTooMany(reads, connection) != null ? now(TOO_MANY_OPEN) : read(reads, connection, withCas));
        }
        return read(reads, connection, withCas);
    }

    private CompletionStage<Reply> read(List<ReadKey> reads, ClientConnection connection, boolean withCas) {
        List<CompletableFuture<Delivery>> pops = new ArrayList<>(reads.size());
        Room room = new Room() {
            @Override
            public boolean reserve(int bytes) {
                return connection.reserveReply(bytes);
            }

            @Override
            public void release(int bytes) {
                connection.releaseReply(bytes);
            }
        };
        Map<String, CompletableFuture<Delivery>> givingBack = null;
        for (ReadKey read : reads) {
            CompletableFuture<Delivery> before = givingBack == null ? null : givingBack.get(read.queue());
            CompletableFuture<Delivery> pop;
            if (before != null && !before.isDone()) {
                // an abort of this queue before it in the command is still under way (a shared store
                // commits it): this key reads once the message is back, as the keys' order says
                pop = before.handle((done, failure) -> null).thenCompose(done -> read(read, connection, room));
            } else {
                pop = read(read, connection, room);
            }
            if (read.abort()) {
                if (givingBack == null) {
                    givingBack = new HashMap<>();
                }
                givingBack.put(read.queue(), pop);
            }
            if (pop == QueueOperations.NO_ROOM) {
                if (pops.isEmpty()) {
                    return now(NO_ROOM);
                }
                break;
            }
            pops.add(pop);
        }
        return CompletableFuture.allOf(pops.toArray(CompletableFuture[]::new)).handle((all, ignored) -> {
            List<Delivery> deliveries = new ArrayList<>(pops.size());
            for (int i = 0; i < pops.size(); i++) {
                CompletableFuture<Delivery> pop = pops.get(i);
                if (pop.isCompletedExceptionally() && failureOf(pop) instanceof OpenReadLost lost) {
                    return Reply.serverError(lost.getMessage()); // the worker must know its job may run twice
                }
                deliveries.add(pop.isCompletedExceptionally() ? failed(reads.get(i).key(), failureOf(pop)) : pop.join());
            }
            return values(reads, deliveries, withCas);
        });
    }

    /**
     * The queue on which the command's keys, taken in order, would take the connection past its
     * allowance of open reads at some point (a close or an abort lets one go first if one is held), or null.
     */
    private String opensTooMany(List<ReadKey> reads, ClientConnection connection) {
        Map<String, Integer> held = null;
        for (ReadKey read : reads) {
            if (!read.open() && !read.close() && !read.abort()) {
                continue;
            }
            if (held == null) {
                held = new HashMap<>();
            }
            int count = held.computeIfAbsent(read.queue(), queue -> operations.openReads(queue, connection));
            if ((read.close() || read.abort()) && count > 0) {
                count--;
            }
            if (read.open() && ++count > maxOpenReads) {
                return read.queue();
            }
            held.put(read.queue(), count);
        }
        return null;
    }

    /** One key's read: confirm or give back what is open, then take the head as asked (a plain key: pop it). */
    private CompletableFuture<Delivery> read(ReadKey read, ClientConnection connection, Room room) {
        if (read.abort()) {
            return operations.abort(read.queue(), connection).thenApply(done -> null);
        }
        CompletableFuture<Void> closed = read.close() ? operations.close(read.queue(), connection) : null;
        if (closed != null && !read.open()) {
            return closed.thenApply(done -> null);
        }
        ReadMode take = read.open() ? ReadMode.OPEN : read.peek() ? ReadMode.PEEK : ReadMode.POP;
        // a client that ended its input may have closed the connection: a message taken for it after
        // a wait would be lost with its reply
        long waitMillis = connection.inputEnded() ? 0 : Math.min(read.waitMillis(), maxWaitMillis);
        CompletableFuture<Delivery> taken = operations.read(read.queue(), take, connection, room, waitMillis);
        if (waitMillis > 0 && !taken.isDone() && connection.inputEnded()) {
            operations.endWaits(connection); // it ended as the read began: the store may not have seen its wait then
        }
        // the next one is taken now, not after the confirmation's commit, so pipelined reads keep their order
        return closed == null || taken == QueueOperations.NO_ROOM ? taken : closed.thenCombine(taken, (done, delivery) -> delivery);
    }

    /** A pop that failed left its message queued and its room released, so it reads as a miss. */
    private static Delivery failed(String key, Throwable failure) {
        LOG.log(Level.WARNING, "get " + key + " failed", failure);
        return null;
    }

    private Reply values(List<ReadKey> reads, List<Delivery> deliveries, boolean withCas) {
        List<Value> values = new ArrayList<>(deliveries.size());
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery delivery = deliveries.get(i);
            statistics.get(delivery != null);
            if (delivery != null) {
                // the key as sent, options and all: clients match values to the keys they asked for
                values.add(new Value(reads.get(i).key(), delivery.flags(), delivery.body(), withCas ? delivery.id() : -1));
            }
        }
        return Reply.values(values);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
