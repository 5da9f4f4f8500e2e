package org.mcq.bench;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mcq.queues.entity.QueuedMessage;

/**
 * Is JPA's per-entity work worth paying on the write path? Writes the group-commit writer's batch
 * shape (half new messages, half removals of older ones, one commit per batch) to embedded Derby
 * through EclipseLink with the application's entities and batch writing, and through plain JDBC
 * batches as DerbyStore does, and prints microseconds of CPU and of wall time per row for each.
 *
 * <pre>java -cp ... org.mcq.bench.StoreWriteBenchmark [rows=200000] [batch=16]</pre>
 * Run with -Dderby.system.durability=test to compare CPU alone (no log forcing).
 */
public final class StoreWriteBenchmark {

    private static final String INSERT = "INSERT INTO MESSAGES (ID, QUEUE_NAME, FLAGS, BODY) VALUES (?, ?, ?, ?)";
    private static final String DELETE = "DELETE FROM MESSAGES WHERE ID = ?";

    private StoreWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        for (int round = 0; round < 3; round++) {
            report("jpa", round, rows, batch, jpa(rows, batch));
            report("jdbc", round, rows, batch, jdbc(rows, batch));
        }
    }

    private static void report(String how, int round, int rows, int batch, long[] nanos) {
        System.out.printf("STORE how=%s round=%d rows=%d batch=%d cpu=%.1fus/row wall=%.1fus/row%n",
                how, round, rows, batch, nanos[0] / 1e3 / rows, nanos[1] / 1e3 / rows);
    }

    private static String freshDatabase() throws Exception {
        return "jdbc:derby:" + Files.createTempDirectory("mcq-store-bench").resolve("db") + ";create=true";
    }

    /** {cpu, wall} nanoseconds to write {@code rows} rows as inserts and deletes in batches. */
    private static long[] jpa(int rows, int batch) throws Exception {
        EntityManagerFactory factory = Persistence.createEntityManagerFactory("mcq-bench",
                Map.of("jakarta.persistence.jdbc.url", freshDatabase()));
        EntityManager em = factory.createEntityManager();
        byte[] body = new byte[64];
        long cpu = cpu();
        long wall = System.nanoTime();
        long next = 0;
        long oldest = 0;
        for (int written = 0; written < rows; written += batch) {
            em.getTransaction().begin();
            for (int i = 0; i < batch / 2; i++) {
                em.persist(new QueuedMessage(next++, "bench-" + (next % 32), 0, body, System.currentTimeMillis(), 0));
            }
            if (next > 4L * batch) {
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < batch / 2; i++) {
                    ids.add(oldest++);
                }
                em.createQuery("DELETE FROM QueuedMessage m WHERE m.id IN :ids").setParameter("ids", ids).executeUpdate();
            }
            em.getTransaction().commit();
            em.clear();
        }
        long[] result = {cpu() - cpu, System.nanoTime() - wall};
        em.close();
        factory.close();
        return result;
    }

    private static long[] jdbc(int rows, int batch) throws Exception {
        // the same table as the entities map, created by EclipseLink as in the server
        String url = freshDatabase();
        Persistence.createEntityManagerFactory("mcq-bench", Map.of("jakarta.persistence.jdbc.url", url))
                .createEntityManager().close();
        byte[] body = new byte[64];
        try (Connection c = DriverManager.getConnection(url)) {
            c.setAutoCommit(false);
            long cpu = cpu();
            long wall = System.nanoTime();
            long next = 0;
            long oldest = 0;
            try (PreparedStatement insert = c.prepareStatement(INSERT); PreparedStatement delete = c.prepareStatement(DELETE)) {
                for (int written = 0; written < rows; written += batch) {
                    for (int i = 0; i < batch / 2; i++) {
                        insert.setLong(1, next);
                        insert.setString(2, "bench-" + (++next % 32));
                        insert.setLong(3, 0);
                        insert.setBytes(4, body);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    if (next > 4L * batch) {
                        for (int i = 0; i < batch / 2; i++) {
                            delete.setLong(1, oldest++);
                            delete.addBatch();
                        }
                        delete.executeBatch();
                    }
                    c.commit();
                }
            }
            return new long[] {cpu() - cpu, System.nanoTime() - wall};
        }
    }

    /** CPU time of this JVM's threads so far (Derby works in the caller's thread for writes). */
    private static long cpu() {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime();
    }

}
