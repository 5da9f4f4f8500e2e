package org.mcq.queues.store.postgres;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A real data source, watched: which connections a chosen thread takes (a selector thread must take
 * none), and every statement run through it and every commit, counted by their SQL (the database
 * round trips a feature costs).
 */
final class WatchedSource {

    private final DataSource target;
    private final List<String> takenOnWatched = new ArrayList<>();
    private final Map<String, AtomicLong> executed = new ConcurrentHashMap<>();
    private volatile Thread watched;

    WatchedSource(DataSource target) {
        this.target = target;
    }

    DataSource source() {
        return proxy(DataSource.class, target, (method, args, result) -> {
            if (method.getName().equals("getConnection")) {
                if (Thread.currentThread() == watched) {
                    synchronized (takenOnWatched) {
                        takenOnWatched.add(Thread.currentThread().getName());
                    }
                }
                return proxy(Connection.class, result, this::connection);
            }
            return result;
        });
    }

    /** From now on, connections taken on {@code thread} are noted; null: on none. */
    void watch(Thread thread) {
        watched = thread;
    }

    /** The threads, by name, that took a connection while watched. */
    List<String> takenOnWatched() {
        synchronized (takenOnWatched) {
            return List.copyOf(takenOnWatched);
        }
    }

    /** Statements run and commits, by SQL, since the start or the last reset. */
    Map<String, Long> executed() {
        Map<String, Long> counts = new ConcurrentHashMap<>();
        executed.forEach((sql, count) -> counts.put(sql, count.get()));
        return counts;
    }

    /** How many of the statements run (commits included) since the last reset were this one. */
    long executed(String sql) {
        AtomicLong count = executed.get(sql);
        return count == null ? 0 : count.get();
    }

    long executedInAll() {
        return executed.values().stream().mapToLong(AtomicLong::get).sum();
    }

    void reset() {
        executed.clear();
    }

    private Object connection(Method method, Object[] args, Object result) {
        switch (method.getName()) {
            case "prepareStatement" -> {
                String sql = (String) args[0];
                return proxy(method.getReturnType(), result, (m, a, r) -> counted(m, sql, r));
            }
            case "createStatement" -> {
                return proxy(Statement.class, result, (m, a, r) -> counted(m, a != null && a.length > 0
                        && a[0] instanceof String sql ? sql : null, r));
            }
            case "commit" -> count("COMMIT");
            default -> {
            }
        }
        return result;
    }

    private Object counted(Method method, String sql, Object result) {
        if (method.getName().startsWith("execute") && sql != null) {
            count(sql);
        }
        return result;
    }

    private void count(String sql) {
        executed.computeIfAbsent(sql, s -> new AtomicLong()).incrementAndGet();
    }

    private interface After {
        Object after(Method method, Object[] args, Object result) throws Exception;
    }

    /** {@code type} delegating to {@code target}, each call's result passed through {@code after}. */
    private static <T> T proxy(Class<T> type, Object target, After after) {
        return type.cast(Proxy.newProxyInstance(WatchedSource.class.getClassLoader(), new Class<?>[]{type},
                (self, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    return after.after(method, args, result);
                }));
    }
}
