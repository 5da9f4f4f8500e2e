package org.mcq.memcache.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mcq.listener.TransportStats;
import org.mcq.protocol.Stat;
import org.mcq.queues.api.QueueTotals;

/** Builds the reply of {@code stats} ({@code stats queue}'s is a {@link QueueReportReply}). */
public final class StatsReport {

    /** The version reported; libmemcached rejects a major version of 0, so it is at least 1. */
    public static final String VERSION = "1.2.0";

    private StatsReport() {
    }

    /** MemcacheQ's general statistics, in its order, followed by ours. */
    public static List<Stat> general(Statistics statistics, TransportStats transport, QueueTotals queues) {
        long now = System.currentTimeMillis();
        long[] cpu = cpuMicros();
        List<Stat> stats = new ArrayList<>(36);
        stats.add(stat("pid", ProcessHandle.current().pid()));
        stats.add(stat("uptime", (now - queues.startedAtMillis()) / 1000));
        stats.add(stat("time", now / 1000));
        stats.add(new Stat("version", VERSION));
        stats.add(stat("pointer_size", 64));
        stats.add(new Stat("rusage_user", seconds(cpu[0])));
        stats.add(new Stat("rusage_system", seconds(cpu[1])));
        stats.add(stat("curr_connections", transport.currentConnections()));
        stats.add(stat("total_connections", transport.totalConnections()));
        stats.add(stat("connection_structures", transport.currentConnections()));
        stats.add(stat("get_cmds", statistics.getCommands()));
        stats.add(stat("get_hits", statistics.getHits()));
        stats.add(stat("set_cmds", statistics.setCommands()));
        stats.add(stat("set_hits", statistics.setHits()));
        stats.add(stat("bytes_read", transport.bytesRead()));
        stats.add(stat("bytes_written", transport.bytesWritten()));
        stats.add(stat("threads", transport.workerThreads()));
        stats.add(stat("get_misses", statistics.getCommands() - statistics.getHits()));
        stats.add(stat("delete_cmds", statistics.deleteCommands()));
        stats.add(stat("rejected_connections", transport.rejectedConnections()));
        stats.add(stat("output_stalls", transport.outputStalls()));
        stats.add(stat("curr_items", queues.messages()));
        stats.add(stat("curr_queues", queues.queues()));
        stats.add(stat("cached_bytes", queues.cachedBytes()));
        stats.add(new Stat("durability", queues.sync() ? "sync" : "nosync"));
        stats.add(stat("commit_batches", queues.batches()));
        stats.add(stat("committed_ops", queues.committedOps()));
        stats.add(stat("client_memory_used", transport.clientMemoryUsed()));
        stats.add(stat("client_memory_limit", transport.clientMemoryLimit()));
        stats.add(stat("client_memory_waits", transport.clientMemoryWaits()));
        stats.add(stat("open_reads", queues.reads().openReads()));
        stats.add(stat("waiters", queues.reads().waiters()));
        stats.add(stat("open_read_timeouts", queues.reads().openTimeouts()));
        stats.add(stat("expired", queues.reads().expired()));
        stats.add(stat("discarded", queues.reads().discarded()));
        return stats;
    }

    private static Stat stat(String name, long value) {
        return new Stat(name, Long.toString(value));
    }

    private static String seconds(long micros) {
        return String.format("%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    /** User and system CPU time of this process in microseconds, from /proc where there is one. */
    private static long[] cpuMicros() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticksPerSecond = 100; // USER_HZ, 100 on Linux
            return new long[] {Long.parseLong(fields[11]) * 1_000_000 / ticksPerSecond,
                    Long.parseLong(fields[12]) * 1_000_000 / ticksPerSecond};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
