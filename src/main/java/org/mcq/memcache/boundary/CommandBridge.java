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

    /**
     * The settings the first instance read, for the instances after it: the listener's last
     * deliveries as the application stops (each connection's close) may need a new instance when
     * MicroProfile Config no longer answers, and an instance that failed to be made loses the close.
     */
    private static volatile Settings settings;

    /** Made once per instance: every command goes this way, not through the EJB proxy (see QueueOperations). */
    private MemcacheCommands commands;

    private record Settings(String statsQueueFormat, int maxOpenReads, long maxWaitMillis) {
    }

    /**
     * Reads its settings here, not by injection: the queues check them first, and keep the port
     * closed (no bean made) while one is wrong.
     */
    @PostConstruct
    void lookUpOperations() {
        Settings read = settings;
        if (read == null) {
            Config config = ConfigProvider.getConfig(CommandBridge.class.getClassLoader());
            read = new Settings(config.getValue("mcq.stats.queue.format", String.class).strip(), // 0.2: STAT q stored/consumed; 0.1: STAT q (Zend_Queue)
                    config.getValue("mcq.max.open.reads", Integer.class),
                    config.getValue("mcq.max.wait.ms", Long.class)); // the longest a blocking read waits, on either store
            settings = read;
        }
        commands = new MemcacheCommands(queues.operations(), statistics, read.statsQueueFormat(), read.maxOpenReads(),
                read.maxWaitMillis());
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
