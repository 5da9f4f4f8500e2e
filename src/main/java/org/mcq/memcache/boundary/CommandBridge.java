package org.mcq.memcache.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.mcq.listener.CommandListener;
import org.mcq.listener.TransportStats;
import org.mcq.memcache.control.Statistics;
import org.mcq.memcache.control.StatsReport;
import org.mcq.protocol.Command;
import org.mcq.protocol.Reply;
import org.mcq.protocol.Value;
import org.mcq.queues.boundary.Queues;
import org.mcq.queues.control.QueueSet;
import org.mcq.queues.control.StorageException;

/**
 * Receives every memcache command from the resource adapter and maps it to a queue operation:
 * {@code set} appends, {@code get} pops. Commands a queue cannot honour (add, cas, incr, ...) are
 * answered in one line that clients handle gracefully, never with {@code ERROR}, which makes PHP
 * clients drop the server or fall out of step.
 *
 * <p>No container transaction: the queue service makes each operation durable itself, in batches.
 */
@MessageDriven(name = "CommandBridge")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class CommandBridge implements CommandListener {

    private static final Logger LOG = Logger.getLogger(CommandBridge.class.getName());
    private static final Reply VERSION = Reply.line("VERSION " + StatsReport.VERSION);

    @EJB
    Queues queues;

    @Inject
    Statistics statistics;

    /** "0.2": {@code STAT q stored/consumed}; "0.1": {@code STAT q}, for Zend_Queue. */
    @Inject
    @ConfigProperty(name = "mcq.stats.queue.format", defaultValue = "0.2")
    String statsQueueFormat;

    @Override
    public Reply onCommand(Command command, TransportStats transport) {
        return switch (command.verb()) {
            case SET -> set(command);
            case GET -> get(command, false);
            case GETS -> get(command, true);
            case DELETE -> delete(command);
            case ADD, REPLACE, APPEND, PREPEND -> Reply.NOT_STORED;
            case CAS, INCR, DECR, TOUCH -> Reply.NOT_FOUND;
            case STATS -> stats(command, transport);
            case FLUSH_ALL -> flushAll();
            case VERSION -> VERSION;
            case VERBOSITY, QUIT -> Reply.OK;
            case DB_CHECKPOINT -> maintenance(false);
            case DB_ARCHIVE -> maintenance(true);
        };
    }

    private Reply set(Command command) {
        try {
            queues.set(command.key(), command.flags(), command.data());
            statistics.set(true);
            return Reply.STORED;
        } catch (StorageException e) {
            statistics.set(false);
            return storageError(e);
        }
    }

    private Reply get(Command command, boolean withCas) {
        List<Value> values = new ArrayList<>(command.keys().size());
        for (String key : command.keys()) {
            try {
                QueueSet.Delivery delivery = queues.get(key);
                statistics.get(delivery != null);
                if (delivery != null) {
                    values.add(new Value(key, delivery.flags(), delivery.body(), withCas ? delivery.id() : -1));
                }
            } catch (StorageException e) {
                // what was already taken is sent; the failed message stays queued, so it reads as a miss
                LOG.log(Level.WARNING, "get " + key + " failed", e);
                statistics.get(false);
            }
        }
        return Reply.values(values);
    }

    private Reply delete(Command command) {
        statistics.delete();
        try {
            return queues.delete(command.key()) ? Reply.DELETED : Reply.NOT_FOUND;
        } catch (StorageException e) {
            return storageError(e);
        }
    }

    private Reply stats(Command command, TransportStats transport) {
        String argument = command.argument();
        if (argument == null) {
            return new Reply.Stats(StatsReport.general(statistics, transport, queues));
        }
        return switch (argument) {
            case "queue" -> new Reply.Stats(StatsReport.queues(queues.stats(), "0.1".equals(statsQueueFormat)));
            case "reset" -> {
                statistics.reset();
                transport.reset();
                yield Reply.RESET;
            }
            case "settings", "items", "slabs", "sizes" -> new Reply.Stats(List.of());
            default -> Reply.ERROR;
        };
    }

    private Reply flushAll() {
        try {
            queues.flushAll();
            return Reply.OK;
        } catch (StorageException e) {
            return storageError(e);
        }
    }

    private Reply maintenance(boolean archive) {
        try {
            if (archive) {
                queues.archive();
            } else {
                queues.checkpoint();
            }
            return Reply.OK;
        } catch (StorageException e) {
            return storageError(e);
        }
    }

    private static Reply storageError(StorageException e) {
        String reason = e.getMessage() == null ? "storage failure" : e.getMessage().replaceAll("[\\r\\n]+", " ");
        return Reply.serverError(reason.length() > 200 ? reason.substring(0, 200) : reason);
    }
}
