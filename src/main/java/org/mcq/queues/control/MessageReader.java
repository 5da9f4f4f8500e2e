package org.mcq.queues.control;

import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mcq.queues.entity.QueuedMessage;

/**
 * Reads stored messages through JPA for the admin API: the queue's first ids come from the
 * in-memory index (the table has no index on the queue name, by design), the rows by primary key
 * in small pages, so a look at a queue of a million messages costs a few key lookups, and bodies
 * of up to a megabyte each are held a page at a time.
 */
public final class MessageReader {

    /** What the admin API shows of a message: its head, not its body. */
    public record Peek(long id, long flags, int size, long storedAt, byte[] head) {
    }

    private static final int PAGE = 8;

    private final EntityManager entities;
    private final int headBytes;

    public MessageReader(EntityManager entities, int headBytes) {
        this.entities = entities;
        this.headBytes = headBytes;
    }

    /**
     * The messages of {@code ids}, in id order, each with the first {@code headBytes} of its
     * body; an id no longer stored (consumed meanwhile, or not yet written in no-sync mode) is left out.
     */
    public List<Peek> read(List<Long> ids) {
        List<Peek> peeks = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += PAGE) {
            List<Object[]> rows = entities.createNamedQuery(QueuedMessage.BY_IDS, Object[].class)
                    .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + PAGE)))
                    .getResultList();
            for (Object[] row : rows) {
                byte[] body = (byte[]) row[3];
                byte[] head = body.length <= headBytes ? body : Arrays.copyOf(body, headBytes);
                peeks.add(new Peek((Long) row[0], (Long) row[1], body.length, row[2] == null ? 0 : (Long) row[2], head));
            }
            entities.clear(); // a page of bodies at a time
        }
        return peeks;
    }
}
