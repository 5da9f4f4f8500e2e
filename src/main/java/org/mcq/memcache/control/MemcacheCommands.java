package org.mcq.memcache.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mcq.listener.ClientConnection;
import org.mcq.listener.CommandListener;
import org.mcq.listener.TransportStats;
import org.mcq.protocol.Command;
import org.mcq.protocol.ReadKey;
import org.mcq.protocol.Reply;
import org.mcq.protocol.Value;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.OpenReadLost;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;

/**
 * The memcache commands on the queues: {@code set} appends, {@code get} pops (with Kestrel's
 * options), the rest as the README's protocol table says. Commands a queue cannot honour (add, cas,
 * incr, ...) are answered in one line that clients handle gracefully, never with {@code ERROR},
 * which makes PHP clients drop the server or fall out of step. Never blocks: a reply that waits for
 * the disk or the database (a shared store's reports too) is a stage completed later. Free of the
 * container, so the model tests run it in-process.
 */
public final class MemcacheCommands {

    private static final Logger LOG = Logger.getLogger(MemcacheCommands.class.getName());
    private static final Reply VERSION = Reply.line("VERSION " + StatsReport.VERSION);
    /** memcached's answer when it cannot allocate a get's reply; nothing was taken from the queue. */
    private static final Reply NO_ROOM = Reply.serverError("out of memory writing get response");
    private static final Reply TOO_MANY_OPEN = Reply.clientError("too many open reads");

    private final QueueOperations operations;
    private final Statistics statistics;
    /** "0.2": {@code STAT q stored/consumed}; "0.1": {@code STAT q}, for Zend_Queue. */
    private final String statsQueueFormat;
    private final int maxOpenReads;
    private final long maxWaitMillis;

    /**
     * @param maxOpenReads  open reads a connection may hold per queue ({@code mcq.max.open.reads})
     * @param maxWaitMillis the longest a read waits for a message, whatever {@code t=} asks
     *                      ({@code mcq.max.wait.ms}): applied here, so every store gets it
     */
    public MemcacheCommands(QueueOperations operations, Statistics statistics, String statsQueueFormat, int maxOpenReads,
                            long maxWaitMillis) {
        this.operations = operations;
        this.statistics = statistics;
        this.statsQueueFormat = statsQueueFormat;
        this.maxOpenReads = maxOpenReads;
        this.maxWaitMillis = maxWaitMillis;
    }

    /** The connection is gone: what it held goes back (see {@link CommandListener#onClose}). */
    public void onClose(ClientConnection connection) {
        operations.readerGone(connection);
    }

    /** Runs one command (see {@link CommandListener#onCommand}). */
    public CompletionStage<Reply> onCommand(Command command, ClientConnection connection) {
        statistics.command(command.verb());
        return switch (command.verb()) {
            case SET -> set(command);
            case GET -> get(command, connection, false);
            case GETS -> get(command, connection, true);
            case DELETE -> delete(command);
            case ADD, REPLACE, APPEND, PREPEND -> now(Reply.NOT_STORED);
            case CAS, INCR, DECR, TOUCH -> now(Reply.NOT_FOUND);
            case STATS -> stats(command, connection.transport());
            case FLUSH_ALL -> done(operations.flushAll(), Reply.OK);
            case VERSION -> now(VERSION);
            case VERBOSITY, QUIT -> now(Reply.OK);
            case DB_CHECKPOINT -> done(operations.checkpoint(), Reply.OK);
            case DB_ARCHIVE -> done(operations.archive(), Reply.OK);
            case FLUSH -> done(operations.flush(command.key()), Reply.END);
            case FLUSH_EXPIRED -> answer(operations.flushExpired(command.key()), removed -> Reply.line(removed.toString()));
            case DUMP_STATS -> dumpStats(command.keys());
        };
    }

    private CompletionStage<Reply> set(Command command) {
        // the parser let only an int through as a storage command's exptime
        long exptime = Long.parseLong(command.argument());
        return operations.set(command.key(), command.flags(), exptime, command.data()).handle((stored, failure) -> {
            statistics.set(failure == null);
            return failure == null ? Reply.STORED : storageError(failure);
        });
    }

    /**
     * Reads once per key occurrence, in key order, all at once, so their removals share one commit.
     * A key may carry Kestrel's options (see {@link ReadKey}): each key's own apply. Each body is
     * reserved from the connection's memory budget before it is taken; when there is no room, the
     * keys from there on are not read (their messages stay queued) and the reply ends with what was
     * taken, or is memcached's out-of-memory error if nothing was. Opens past the connection's
     * allowance refuse the whole command before anything is read.
     */
    private CompletionStage<Reply> get(Command command, ClientConnection connection, boolean withCas) {
        List<ReadKey> reads = command.reads();
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
        CompletableFuture<Delivery> taken = operations.read(read.queue(), take, connection, room,
                Math.min(read.waitMillis(), maxWaitMillis));
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

    private CompletionStage<Reply> delete(Command command) {
        statistics.delete();
        return operations.delete(command.key()).handle((deleted, failure) ->
                failure != null ? storageError(failure) : deleted ? Reply.DELETED : Reply.NOT_FOUND);
    }

    /** Kestrel's format: a block per queue, then {@code END}; written as the queues are read. */
    private CompletionStage<Reply> dumpStats(List<String> names) {
        try {
            return now(QueueReportReply.dumpStats(operations.report(names)));
        } catch (RuntimeException e) {
            return now(storageError(e));
        }
    }

    private CompletionStage<Reply> stats(Command command, TransportStats transport) {
        String argument = command.argument();
        if (argument == null) {
            return answer(operations.totals(), totals -> new Reply.Stats(StatsReport.general(statistics, transport, totals)));
        }
        return switch (argument) {
            case "queue" -> statsQueue();
            case "reset" -> {
                statistics.reset();
                transport.reset();
                yield now(Reply.RESET);
            }
            case "settings", "items", "slabs", "sizes" -> now(new Reply.Stats(List.of()));
            default -> now(Reply.ERROR);
        };
    }

    /** Every queue, written as the queues are read: a queue per job makes millions. */
    private CompletionStage<Reply> statsQueue() {
        try {
            return now(QueueReportReply.statsQueue(operations.report(List.of()), "0.1".equals(statsQueueFormat)));
        } catch (RuntimeException e) {
            return now(storageError(e));
        }
    }

    private static CompletionStage<Reply> now(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    /**
     * A report's reply, made once the queues have answered: at once from memory, or on the thread that
     * asked the database (never the caller's); a report that failed is a {@code SERVER_ERROR}.
     */
    private static <T> CompletionStage<Reply> answer(CompletableFuture<T> report, Function<T, Reply> reply) {
        return report.handle((value, failure) -> failure == null ? reply.apply(value) : storageError(failure));
    }

    private static CompletionStage<Reply> done(CompletableFuture<?> operation, Reply success) {
        return operation.handle((result, failure) -> failure == null ? success : storageError(failure));
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    private static Reply storageError(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String reason = cause.getMessage() == null ? "storage failure" : cause.getMessage().replaceAll("[\\r\\n]+", " ");
        return Reply.serverError(reason.length() > 200 ? reason.substring(0, 200) : reason);
    }
}
