package org.mcq.queues.boundary;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
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

    @PersistenceContext(unitName = "mcq")
    EntityManager entities;

    @EJB
    Queues queues;

    /** The first {@code limit} messages waiting in the queue, in delivery order; empty if none or no queue. */
    public List<MessageReader.Peek> first(String queue, int limit) {
        return new MessageReader(entities, HEAD_BYTES).read(queues.operations().headIds(queue, limit));
    }
}
