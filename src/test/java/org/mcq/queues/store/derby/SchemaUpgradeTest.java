package org.mcq.queues.store.derby;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database made before messages recorded when they were stored and when they expire: the
 * persistence unit extends its table, its messages are kept (with no times: never expire, age
 * unknown) and new ones get their times.
 */
class SchemaUpgradeTest {

    @TempDir
    Path dir;

    @Test
    void anOlderDatabaseIsExtendedAndKeepsItsMessages() throws Exception {
        Path database = dir.resolve("db");
        EmbeddedDataSource data = new EmbeddedDataSource();
        data.setDatabaseName(database.toString());
        data.setCreateDatabase("create");
        try (Connection c = data.getConnection(); Statement s = c.createStatement()) {
            // the tables as the entities made them before STORED_AT and EXPIRES_AT
            s.executeUpdate("CREATE TABLE MESSAGES (ID BIGINT NOT NULL, QUEUE_NAME VARCHAR(250) NOT NULL, "
                    + "FLAGS BIGINT NOT NULL, BODY BLOB(2147483647) NOT NULL, PRIMARY KEY (ID))");
            s.executeUpdate("CREATE TABLE QUEUES (NAME VARCHAR(250) NOT NULL, STORED BIGINT NOT NULL, "
                    + "CONSUMED BIGINT NOT NULL, PRIMARY KEY (NAME))");
            s.executeUpdate("INSERT INTO MESSAGES (ID, QUEUE_NAME, FLAGS, BODY) VALUES (1, 'old', 5, CAST(X'6869' AS BLOB))");
        }
        EntityManagerFactory jpa = Persistence.createEntityManagerFactory("mcq-component",
                Map.of("jakarta.persistence.jdbc.url", "jdbc:derby:" + database));
        jpa.createEntityManager().close(); // deploys the unit: the table is extended now
        EmbeddedDataSource store = new EmbeddedDataSource();
        store.setDatabaseName(database.toString());
        DerbyStore derby = new DerbyStore(store, store);
        try {
            Batch batch = new Batch();
            batch.insert("new", new Message(2, 0, new byte[] {'x'}, 1, 1_700_000_000_000L, 1_700_000_060_000L),
                    new byte[] {'x'});
            derby.write(batch);
            List<MessageStore.StoredMessage> messages = new ArrayList<>();
            derby.forEachMessage(messages::add);
            assertEquals(List.of(new MessageStore.StoredMessage(1, "old", 5, 2, 0, 0),
                    new MessageStore.StoredMessage(2, "new", 0, 1, 1_700_000_000_000L, 1_700_000_060_000L)), messages);
        } finally {
            derby.closeWriter();
            jpa.close();
        }
    }
}
