package org.mcq.memcache.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
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

    /** Made once per instance: every command goes this way, not through the EJB proxy (see QueueOperations). */
    private MemcacheCommands commands;

    /**
     * Reads its settings here, not by injection: the queues check them first, and keep the port
     * closed (no bean made) while one is wrong.
     */
    @PostConstruct
    void lookUpOperations() {
        Config config = ConfigProvider.getConfig(CommandBridge.class.getClassLoader());
        commands = new MemcacheCommands(queues.operations(), statistics,
                config.getValue("mcq.stats.queue.format", String.class).strip(), // 0.2: STAT q stored/consumed; 0.1: STAT q (Zend_Queue)
                config.getValue("mcq.max.open.reads", Integer.class),
                config.getValue("mcq.max.wait.ms", Long.class)); // the longest a blocking read waits, on either store
    }

    @Override
    public void onClose(ClientConnection connection) {
        commands.onClose(connection);
    }

    @Override
    public void onInputEnd(ClientConnection connection) {
        commands.onInputEnd(connection);
    }

    @Override
    public CompletionStage<Reply> onCommand(Command command, ClientConnection connection) {
        return commands.onCommand(command, connection);
    }
}
