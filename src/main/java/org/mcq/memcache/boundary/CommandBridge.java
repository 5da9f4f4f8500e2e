package org.mcq.memcache.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.mcq.listener.ClientConnection;
import org.mcq.listener.CommandListener;
import org.mcq.memcache.control.MemcacheCommands;
import org.mcq.memcache.control.Statistics;
import org.mcq.protocol.Command;
import org.mcq.protocol.Reply;
import org.mcq.queues.boundary.Queues;

/**
 * Receives every memcache command from the resource adapter and hands it to
 * {@link MemcacheCommands}, which maps it to a queue operation.
 *
 * <p>No container transaction and no blocking: the queue service makes each operation durable
 * itself, in batches, and the reply completes when it may be sent.
 */
@MessageDriven(name = "CommandBridge")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class CommandBridge implements CommandListener {

    @EJB
    Queues queues;

    @Inject
    Statistics statistics;

    /** "0.2": {@code STAT q stored/consumed}; "0.1": {@code STAT q}, for Zend_Queue. */
    @Inject
    @ConfigProperty(name = "mcq.stats.queue.format")
    String statsQueueFormat;

    @Inject
    @ConfigProperty(name = "mcq.max.open.reads")
    int maxOpenReads;

    /** The longest a blocking read ({@code get q/t=}) waits, on either store. */
    @Inject
    @ConfigProperty(name = "mcq.max.wait.ms")
    long maxWaitMillis;

    /** Made once per instance: every command goes this way, not through the EJB proxy (see QueueOperations). */
    private MemcacheCommands commands;

    @PostConstruct
    void lookUpOperations() {
        commands = new MemcacheCommands(queues.operations(), statistics, statsQueueFormat, maxOpenReads,
                maxWaitMillis);
    }

    @Override
    public void onClose(ClientConnection connection) {
        commands.onClose(connection);
    }

    @Override
    public CompletionStage<Reply> onCommand(Command command, ClientConnection connection) {
        return commands.onCommand(command, connection);
    }
}
