package org.mcq.transport;

import org.mcq.protocol.Credentials;
import org.mcq.protocol.Limits;


/**
 * How a listener is bound and bounded.
 *
 * @param host               address to bind
 * @param port               port to bind; 0 picks a free one
 * @param maxConnections     connections open at once; further ones get an error and are closed
 * @param limits             line and message size limits of the codec
 * @param idleTimeoutSeconds close connections idle this long; 0 never does (MemcacheQ's default)
 * @param workerThreads      threads that carry on with a connection's commands after a reply that
 *                           waited (commands otherwise run on the selector threads, one per core)
 * @param clientMemoryBytes  the budget for what clients make the server hold: data blocks being
 *                           received, bodies taken for replies, output not yet written
 * @param socketPath         a unix socket to listen on as well, or null for none
 * @param socketMode         the unix socket file's permission bits
 * @param tcp                whether to listen on {@code host:port}; false for the unix socket alone
 * @param udpPort            a UDP port to serve gets on, on {@code host}; 0 for none
 * @param credentials        who may use the server, authenticating with SASL PLAIN over the binary
 *                           protocol; null when anyone may
 */
public record ServerSettings(String host, int port, int maxConnections, Limits limits,
                             int idleTimeoutSeconds, int workerThreads, long clientMemoryBytes,
                             String socketPath, int socketMode, boolean tcp, int udpPort, Credentials credentials) {

    public ServerSettings {
        if (!tcp && (socketPath == null || socketPath.isBlank())) {
            throw new IllegalArgumentException("a listener without its TCP port needs a unix socket");
        }
        if (credentials != null && udpPort != 0) {
            throw new IllegalArgumentException("UDP has no way to authenticate");
        }
    }

    /** The TCP port alone. */
    public ServerSettings(String host, int port, int maxConnections, Limits limits, int idleTimeoutSeconds,
                          int workerThreads, long clientMemoryBytes) {
        this(host, port, maxConnections, limits, idleTimeoutSeconds, workerThreads, clientMemoryBytes, null, 0700, true, 0, null);
    }

    /** The same with a unix socket at {@code path} of {@code mode}. */
    public ServerSettings withSocket(String path, int mode) {
        return new ServerSettings(host, port, maxConnections, limits, idleTimeoutSeconds, workerThreads,
                clientMemoryBytes, path, mode, tcp, udpPort, credentials);
    }

    /** The same without the TCP port: the unix socket alone. */
    public ServerSettings withoutTcp() {
        return new ServerSettings(host, port, maxConnections, limits, idleTimeoutSeconds, workerThreads,
                clientMemoryBytes, socketPath, socketMode, false, udpPort, credentials);
    }

    /** The same with gets served on UDP {@code port} too. */
    public ServerSettings withUdp(int port) {
        return new ServerSettings(host, this.port, maxConnections, limits, idleTimeoutSeconds, workerThreads,
                clientMemoryBytes, socketPath, socketMode, tcp, port, credentials);
    }

    /** The same with SASL PLAIN required of every connection. */
    public ServerSettings withCredentials(Credentials users) {
        return new ServerSettings(host, port, maxConnections, limits, idleTimeoutSeconds, workerThreads,
                clientMemoryBytes, socketPath, socketMode, tcp, udpPort, users);
    }
}
