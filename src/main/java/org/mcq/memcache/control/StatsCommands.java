package org.mcq.memcache.control;

import static org.mcq.memcache.control.Replies.answer;
import static org.mcq.memcache.control.Replies.now;
import static org.mcq.memcache.control.Replies.storageError;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.mcq.listener.TransportStats;
import org.mcq.protocol.Reply;
import org.mcq.protocol.StatsSubcommand;
import org.mcq.queues.api.QueueOperations;

/** {@code stats} in its forms, and Kestrel's {@code dump_stats}: the commands that report rather than change. */
final class StatsCommands {

    private final QueueOperations operations;
    private final Statistics statistics;
    /** "0.2": {@code STAT q stored/consumed}; "0.1": {@code STAT q}, for Zend_Queue. */
    private final String statsQueueFormat;

    StatsCommands(QueueOperations operations, Statistics statistics, String statsQueueFormat) {
        this.operations = operations;
        this.statistics = statistics;
        this.statsQueueFormat = statsQueueFormat;
    }

    CompletionStage<Reply> stats(StatsSubcommand subcommand, TransportStats transport) {
        return switch (subcommand) {
            case GENERAL -> answer(operations.totals(), totals -> new Reply.Stats(StatsReport.general(statistics, transport, totals)));
            case QUEUE -> statsQueue();
            case RESET -> {
                statistics.reset();
                transport.reset();
                yield now(Reply.RESET);
            }
            // memcached's own groups, which have nothing to list on queues
            case SETTINGS, ITEMS, SLABS, SIZES -> now(new Reply.Stats(List.of()));
            case OTHER -> now(Reply.ERROR);
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

    /** Kestrel's format: a block per queue, then {@code END}; written as the queues are read. */
    CompletionStage<Reply> dumpStats(List<String> names) {
        try {
            return now(QueueReportReply.dumpStats(operations.report(names)));
        } catch (RuntimeException e) {
            return now(storageError(e));
        }
    }
}
