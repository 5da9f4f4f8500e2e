package org.mcq.protocol;

/**
 * One line of a {@code stats} reply.
 *
 * @param name  the statistic (or queue) name
 * @param value its value, or null for a bare {@code STAT name} line (MemcacheQ 0.1's queue list)
 */
public record Stat(String name, String value) {
}
