package org.mcq.queues.store.derby;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcq.queues.control.MessageReader;
import org.mcq.queues.entity.QueueRecord;
import org.mcq.queues.entity.QueuedMessage;

/**
 * DerbyStore's SQL against the tables EclipseLink makes from the entities, on real embedded Derby:
 * what the store writes, JPA reads back field for field, and the other way round. A column renamed
 * in an entity or in the SQL fails here, not in a running server.
 */
class DerbyStoreTest {

    private static final long MAX_FLAGS = 0xFFFF_FFFFL;

    @TempDir
    Path dir;

    private EntityManagerFactory jpa;
    private DerbyStore store;

    @BeforeEach
    void createTablesFromTheEntities() {
        Path database = dir.resolve("db");
        jpa = Persistence.createEntityManagerFactory("mcq-component",
                Map.of("jakarta.persistence.jdbc.url", "jdbc:derby:" + database + ";create=true"));
        jpa.createEntityManager().close(); // deploys the unit: the tables are made now
        EmbeddedDataSource data = new EmbeddedDataSource();
        data.setDatabaseName(database.toString());
        store = new DerbyStore(data, data);
    }

    @AfterEach
    void close() {
        store.closeWriter();
        jpa.close();
    }

    @Test
    void whatTheStoreWritesTheEntitiesRead() throws Exception {
        byte[] binary = {0, 13, 10, (byte) 0xFF, 'E', 'N', 'D'};
        Batch batch = new Batch();
        batch.insert("jobs", new Message(1, MAX_FLAGS, binary, binary.length, 1_700_000_000_000L, 1_700_000_100_000L), binary);
        batch.insert("jobs", new Message(2, 0, new byte[0], 0), new byte[0]);
        batch.insert("other/queue", new Message(3, 7, new byte[] {'x'}, 1), new byte[] {'x'});
        batch.writeCounters(new HashMap<>(Map.of("jobs", new long[] {2, 0}, "other/queue", new long[] {5, 4})));
        store.write(batch);

        EntityManager em = jpa.createEntityManager();
        try {
            QueuedMessage first = em.find(QueuedMessage.class, 1L);
            assertEquals("jobs", first.getQueue());
            assertEquals(MAX_FLAGS, first.getFlags());
            assertArrayEquals(binary, first.getBody());
            assertEquals(1_700_000_000_000L, first.getStoredAt());
            assertEquals(1_700_000_100_000L, first.getExpiresAt());
            assertArrayEquals(new byte[0], em.find(QueuedMessage.class, 2L).getBody());
            QueueRecord other = em.find(QueueRecord.class, "other/queue");
            assertEquals(5, other.getStored());
            assertEquals(4, other.getConsumed());
        } finally {
            em.close();
        }

        Batch consume = new Batch();
        consume.consume(1);
        consume.drop("other/queue", 3, new long[0]);
        store.write(consume);
        em = jpa.createEntityManager();
        try {
            assertNull(em.find(QueuedMessage.class, 1L), "consumed");
            assertNull(em.find(QueuedMessage.class, 3L), "dropped with its queue");
            assertNull(em.find(QueueRecord.class, "other/queue"));
            assertEquals(2, em.find(QueueRecord.class, "jobs").getStored());
        } finally {
            em.close();
        }
    }

    @Test
    void whatTheEntitiesWriteTheStoreReads() throws Exception {
        byte[] body = {1, 2, 3, (byte) 0x80};
        EntityManager em = jpa.createEntityManager();
        try {
            em.getTransaction().begin();
            em.persist(new QueuedMessage(11, "b", 9, body, 1_700_000_000_000L, 1_700_000_060_000L));
            em.persist(new QueuedMessage(10, "a", MAX_FLAGS, new byte[] {'z'}, 1_700_000_000_001L, 0));
            em.persist(new QueueRecord("a", 3, 2));
            em.getTransaction().commit();
        } finally {
            em.close();
        }
        List<MessageStore.StoredMessage> messages = new ArrayList<>();
        store.forEachMessage(messages::add);
        assertEquals(List.of(new MessageStore.StoredMessage(10, "a", MAX_FLAGS, 1, 1_700_000_000_001L, 0),
                new MessageStore.StoredMessage(11, "b", 9, 4, 1_700_000_000_000L, 1_700_000_060_000L)), messages,
                "in id order, with sizes and times");
        assertArrayEquals(body, store.body(11));
        assertNull(store.body(12));
        assertEquals(List.of(new MessageStore.QueueCounters("a", 3, 2)), store.queuesAfter(null, 10));

        Batch all = new Batch();
        all.dropAll(11, new long[] {10});
        store.write(all);
        messages.clear();
        store.forEachMessage(messages::add);
        assertEquals(List.of(new MessageStore.StoredMessage(10, "a", MAX_FLAGS, 1, 1_700_000_000_001L, 0)), messages,
                "the open read's row stays");
        assertEquals(List.of(), store.queuesAfter(null, 10));
    }

    @Test
    void theAdminReaderFindsByIdThroughJpaWhatTheStoreWrote() throws Exception {
        Batch batch = new Batch();
        byte[] large = new byte[1000];
        large[0] = 'L';
        for (long id = 1; id <= 20; id++) {
            byte[] body = id == 7 ? large : ("m" + id).getBytes();
            batch.insert(id % 2 == 0 ? "even" : "odd", new Message(id, id, body, body.length, 1_700_000_000_000L + id, 0), body);
        }
        store.write(batch);
        EntityManager em = jpa.createEntityManager();
        try {
            List<MessageReader.Peek> peeks = new MessageReader(em, 4).read(List.of(1L, 3L, 5L, 7L, 9L, 11L, 13L, 15L, 17L, 19L, 99L));
            assertEquals(10, peeks.size(), "all odd ones, over two pages; 99 is not stored");
            MessageReader.Peek seventh = peeks.get(3);
            assertEquals(7, seventh.id());
            assertEquals(7, seventh.flags());
            assertEquals(1000, seventh.size(), "the size of the whole body");
            assertEquals(1_700_000_000_007L, seventh.storedAt());
            assertArrayEquals(new byte[] {'L', 0, 0, 0}, seventh.head(), "only the head");
            assertArrayEquals("m1".getBytes(), peeks.get(0).head());
            assertEquals(List.of(1L, 3L, 5L, 7L, 9L, 11L, 13L, 15L, 17L, 19L), peeks.stream().map(MessageReader.Peek::id).toList());
        } finally {
            em.close();
        }
    }
}
