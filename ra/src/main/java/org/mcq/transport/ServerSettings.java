package org.mcq.transport;

import org.mcq.protocol.Limits;

/**
 * How a listener is bound and bounded.
 *
 * @param host               address to bind
 * @param port               port to bind; 0 picks a free one
 * @param maxConnections     connections open at once; further ones get an error and are closed
 * @param limits             line and message size limits of the codec
 * @param idleTimeoutSeconds close connections idle this long; 0 never does (MemcacheQ's default)
 * @param workerThreads      threads executing commands
 */
public record ServerSettings(String host, int port, int maxConnections, Limits limits,
                             int idleTimeoutSeconds, int workerThreads) {
}
