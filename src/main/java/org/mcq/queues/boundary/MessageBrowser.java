package org.mcq.queues.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mcq.queues.control.MessageReader;

/**
 * A look at a queue's first messages without taking them (the admin API): ids from the queue
 * service, rows through JPA. Reads only, outside any transaction.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MessageBrowser {

    /** Bytes of each body shown. */
    public static final int HEAD_BYTES = 64;
    private static final long IDS_TIMEOUT_SECONDS = 30;

    @PersistenceContext(unitName = "mcq")
    EntityManager entities;

    @EJB
    Queues queues;

    /**
     * The first {@code limit} messages waiting in the queue, in delivery order; empty if none or no
     * queue. Waits for the ids (a shared store asks its database for them on another thread).
     */
    public List<MessageReader.Peek> first(String queue, int limit)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<Long> ids = queues.operations().headIds(queue, limit).get(IDS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return new MessageReader(entities, HEAD_BYTES).read(ids);
    }
}
