package org.mcq.queues.store.postgres;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Just enough of a database for a lane: each connection's inserts stay its own until it commits,
 * and are gone when it rolls back or closes (as PostgreSQL aborts a session's open transaction);
 * every query finds nothing. What it knows is which inserts were committed, by queue name.
 */
final class FakeDatabase {

    /** The queue of every insert committed, in commit order. */
    final List<String> committed = Collections.synchronizedList(new ArrayList<>());
    /** Commits that stored something. */
    final AtomicInteger commits = new AtomicInteger();
    /** What every commit takes (a slow disk's forced write). */
    volatile long commitMillis;
    /** Counted down as a commit that stores something begins. */
    final CountDownLatch commitBegun = new CountDownLatch(1);

    DataSource source() {
        return proxy(DataSource.class, (method, args) -> method.equals("getConnection") ? connection() : null);
    }

    private Connection connection() {
        List<String> uncommitted = new ArrayList<>();
        return proxy(Connection.class, (method, args) -> switch (method) {
            case "prepareStatement" -> statement((String) args[0], uncommitted);
            case "commit" -> {
                if (!uncommitted.isEmpty()) {
                    commits.incrementAndGet();
                    commitBegun.countDown();
                }
                Thread.sleep(commitMillis); // the disk
                committed.addAll(uncommitted);
                uncommitted.clear();
                yield null;
            }
            case "rollback", "close" -> {
                uncommitted.clear();
                yield null;
            }
            default -> null;
        });
    }

    private PreparedStatement statement(String sql, List<String> uncommitted) {
        Map<Integer, Object> parameters = new HashMap<>();
        List<String> batch = new ArrayList<>();
        return proxy(PreparedStatement.class, (method, args) -> switch (method) {
            case "setString", "setLong", "setBytes", "setInt", "setArray", "setNull" -> {
                parameters.put((Integer) args[0], args[1]);
                yield null;
            }
            case "addBatch" -> {
                batch.add(String.valueOf(parameters.get(1)));
                yield null;
            }
            case "executeBatch" -> {
                if (sql.equals(SharedSql.INSERT)) {
                    uncommitted.addAll(batch);
                }
                int[] counts = new int[batch.size()];
                batch.clear();
                yield counts;
            }
            case "executeQuery" -> proxy(ResultSet.class, (m, a) -> null);
            default -> null;
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args) throws InterruptedException;
    }

    /** An implementation of {@code type} that answers by method name; any other call gets 0, false or null. */
    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(FakeDatabase.class.getClassLoader(), new Class<?>[]{type},
                (self, method, args) -> {
                    Object result = answer.answer(method.getName(), args);
                    if (result != null || !method.getReturnType().isPrimitive()) {
                        return result;
                    }
                    return method.getReturnType() == boolean.class ? Boolean.FALSE
                            : method.getReturnType() == void.class ? null : (Object) 0;
                }));
    }
}
