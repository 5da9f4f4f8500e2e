package org.mcq.admin.boundary;

import java.util.Map;

/**
 * The server as the dashboard shows it (JSON): counters it turns into rates, and the writer's
 * commit times (percentiles over the last minutes, in ms).
 *
 * @param commands commands received since the start, by verb (only verbs received)
 */
public record ServerView(long timeMs, long startedAtMs, boolean sync, int queues, long messages, long connections,
                         long clientMemoryBytes, Map<String, Long> commands, long batches, long committedOps,
                         long failedWrites, double commitP50Ms, double commitP99Ms, double forcedWriteP50Ms,
                         double forcedWriteP99Ms) {
}
