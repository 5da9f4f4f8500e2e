package org.mcq.memcache.control;

import static org.mcq.memcache.control.Replies.answer;
import static org.mcq.memcache.control.Replies.done;
import static org.mcq.memcache.control.Replies.now;
import static org.mcq.memcache.control.Replies.storageError;

import java.util.concurrent.CompletionStage;
import org.mcq.listener.ClientConnection;
import org.mcq.listener.CommandListener;
import org.mcq.protocol.Command;
import org.mcq.protocol.Reply;
import org.mcq.queues.api.QueueOperations;

/**
 * The memcache commands on the queues: {@code set} appends, {@code get} pops (with Kestrel's
 * options, see {@link Retrievals}), the reports are {@link StatsCommands}, the rest as the README's
 * protocol table says. Commands a queue cannot honour (add, cas, incr, ...) are answered in one
 * line that clients handle gracefully, never with {@code ERROR}, which makes PHP clients drop the
 * server or fall out of step. Never blocks: a reply that waits for the disk or the database (a
 * shared store's reports too) is a stage completed later. Free of the container, so the model
 * tests run it in-process.
 */
public final class MemcacheCommands {

    private static final Reply VERSION = Reply.line("VERSION " + StatsReport.VERSION);

    private final QueueOperations operations;
    private final Statistics statistics;
    private final Retrievals retrievals;
    private final StatsCommands reports;

    /**
     * @param statsQueueFormat "0.2": {@code STAT q stored/consumed}; "0.1": {@code STAT q}, for Zend_Queue
     * @param maxOpenReads     open reads a connection may hold per queue ({@code mcq.max.open.reads})
     * @param maxWaitMillis    the longest a read waits for a message, whatever {@code t=} asks
     *                         ({@code mcq.max.wait.ms}): applied here, so every store gets it
     */
    public MemcacheCommands(QueueOperations operations, Statistics statistics, String statsQueueFormat, int maxOpenReads,
                            long maxWaitMillis) {
        this.operations = operations;
        this.statistics = statistics;
        this.retrievals = new Retrievals(operations, statistics, maxOpenReads, maxWaitMillis);
        this.reports = new StatsCommands(operations, statistics, statsQueueFormat);
    }

    /** The connection is gone: what it held goes back (see {@link CommandListener#onClose}). */
    public void onClose(ClientConnection connection) {
        operations.readerGone(connection);
    }

    /** The client ended its input: its reads stop waiting (see {@link CommandListener#onInputEnd}). */
    public void onInputEnd(ClientConnection connection) {
        operations.endWaits(connection);
    }

    /** Runs one command (see {@link CommandListener#onCommand}). */
    public CompletionStage<Reply> onCommand(Command command, ClientConnection connection) {
        statistics.command(command.verb());
        return switch (command.verb()) {
            case SET -> set(command);
            case GET -> retrievals.get(command.reads(), connection, false);
            case GETS -> retrievals.get(command.reads(), connection, true);
            case DELETE -> delete(command);
            case ADD, REPLACE, APPEND, PREPEND -> now(Reply.NOT_STORED);
            case CAS, INCR, DECR, TOUCH -> now(Reply.NOT_FOUND);
            case STATS -> reports.stats(command.stats(), connection.transport());
            case FLUSH_ALL -> done(operations.flushAll(), Reply.OK);
            case VERSION -> now(VERSION);
            case VERBOSITY, QUIT -> now(Reply.OK);
            case DB_CHECKPOINT -> done(operations.checkpoint(), Reply.OK);
            case DB_ARCHIVE -> done(operations.archive(), Reply.OK);
            case FLUSH -> done(operations.flush(command.key()), Reply.END);
            case FLUSH_EXPIRED -> answer(operations.flushExpired(command.key()), removed -> Reply.line(removed.toString()));
            case DUMP_STATS -> reports.dumpStats(command.keys());
        };
    }

    private CompletionStage<Reply> set(Command command) {
        return operations.set(command.key(), command.flags(), command.exptime(), command.data()).handle((stored, failure) -> {
            statistics.set(failure == null);
            return failure == null ? Reply.STORED : storageError(failure);
        });
    }

    private CompletionStage<Reply> delete(Command command) {
        statistics.delete();
        return operations.delete(command.key()).handle((deleted, failure) ->
                failure != null ? storageError(failure) : deleted ? Reply.DELETED : Reply.NOT_FOUND);
    }
}
