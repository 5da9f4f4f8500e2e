package org.mcq.inflow;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import java.beans.PropertyDescriptor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.mcq.protocol.Limits;
import org.mcq.settings.ListenerSettings;
import org.mcq.settings.Rule;
import org.mcq.settings.UserFile;
import org.mcq.protocol.Credentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.mcq.settings.Setting;
import org.mcq.transport.ServerSettings;

/**
 * Where and how one memcache listener is opened for a message-driven bean. Set from server.xml's
 * {@code <activationSpec>}, whose {@code <variable>}s hold every default, once; nothing here has a
 * default of its own, and {@link #validate()} refuses a missing or wrong value before anything is bound.
 */
public class MemcacheActivationSpec implements ActivationSpec, Serializable {

    private static final long serialVersionUID = 1L;

    private transient ResourceAdapter resourceAdapter;
    private String bindAddress;
    private Integer port;
    private Integer maxConnections;
    private Integer maxLineLength;
    private Integer maxMessageSize;
    private Integer idleTimeout;
    private Integer workerThreads;
    private Integer clientMemoryMb;
    private String socketPath;
    private String socketMask;
    private String tcp;
    private Integer udpPort;
    private String auth;
    private String authUsers;
    private String authUser;
    private String authPassword;

    /** Address to listen on (MemcacheQ's {@code -l}); 0.0.0.0 opens it to other hosts. */
    @ConfigProperty(description = "Address to listen on")
    public void setBindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    /** TCP port (MemcacheQ's {@code -p}); 0 picks a free one. */
    @ConfigProperty(description = "TCP port; 0 picks a free one")
    public void setPort(Integer port) {
        this.port = port;
    }

    /** Connections open at once (MemcacheQ's {@code -c}); more are answered with an error and closed. */
    @ConfigProperty(description = "Maximum simultaneous connections")
    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** Longest command line in bytes; a longer one is refused and its connection closed. */
    @ConfigProperty(description = "Maximum command line length in bytes")
    public void setMaxLineLength(Integer maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    /** Largest message body in bytes (MemcacheQ's {@code -B}); larger ones are refused unread. */
    @ConfigProperty(description = "Maximum message size in bytes")
    public void setMaxMessageSize(Integer maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /** Seconds after which an idle connection is closed; 0 never closes one. */
    @ConfigProperty(description = "Idle connection timeout in seconds, 0 for none")
    public void setIdleTimeout(Integer idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    /**
     * Threads that carry on with a connection's pipelined commands after a reply that waited for the
     * disk (commands otherwise run on the selector threads, one per core).
     */
    @ConfigProperty(description = "Threads continuing pipelined commands after a wait")
    public void setWorkerThreads(Integer workerThreads) {
        this.workerThreads = workerThreads;
    }

    /**
     * MiB of heap that clients may make the server hold at once: data blocks being received, bodies
     * taken for replies, output not yet written (memcached's {@code -m} plays this part). Past it
     * connections wait unread instead of allocating. 0: a quarter of the maximum heap.
     */
    @ConfigProperty(description = "Client memory budget in MiB; 0 for a quarter of the heap")
    public void setClientMemoryMb(Integer clientMemoryMb) {
        this.clientMemoryMb = clientMemoryMb;
    }

    /** A unix socket to listen on beside the TCP port (MemcacheQ's {@code -s}); empty for none. */
    @ConfigProperty(description = "Unix socket path to listen on as well; empty for none")
    public void setSocketPath(String socketPath) {
        this.socketPath = socketPath;
    }

    public String getSocketPath() {
        return socketPath;
    }

    /** The unix socket file's permissions in octal (MemcacheQ's {@code -a}). */
    @ConfigProperty(description = "Unix socket file permissions, in octal")
    public void setSocketMask(String socketMask) {
        this.socketMask = socketMask;
    }

    public String getSocketMask() {
        return socketMask;
    }

    /** Whether to listen on the TCP port; false for the unix socket alone (as {@code memcacheq -s}). */
    @ConfigProperty(description = "Listen on the TCP port; false for the unix socket alone")
    public void setTcp(String tcp) {
        this.tcp = tcp;
    }

    public String getTcp() {
        return tcp;
    }

    /** A UDP port serving gets (MemcacheQ's {@code -U}); 0 for none. */
    @ConfigProperty(description = "UDP port serving gets, stats and version; 0 for none")
    public void setUdpPort(Integer udpPort) {
        this.udpPort = udpPort;
    }

    public Integer getUdpPort() {
        return udpPort;
    }

    /** Whether every connection must authenticate with SASL PLAIN over the binary protocol (memcached's {@code -S}). */
    @ConfigProperty(description = "Require SASL PLAIN authentication (binary protocol only)")
    public void setAuth(String auth) {
        this.auth = auth;
    }

    public String getAuth() {
        return auth;
    }

    /** A file of {@code user:password} lines: who may, when authentication is on. */
    @ConfigProperty(description = "File of user:password lines, with auth on")
    public void setAuthUsers(String authUsers) {
        this.authUsers = authUsers;
    }

    public String getAuthUsers() {
        return authUsers;
    }

    /** One user who may, named in server.xml, beside or instead of the users file. */
    @ConfigProperty(description = "A user who may, with auth on")
    public void setAuthUser(String authUser) {
        this.authUser = authUser;
    }

    public String getAuthUser() {
        return authUser;
    }

    @ConfigProperty(description = "The password of authUser", confidential = true)
    public void setAuthPassword(String authPassword) {
        this.authPassword = authPassword;
    }

    public String getAuthPassword() {
        return authPassword;
    }

    public Integer getClientMemoryMb() {
        return clientMemoryMb;
    }

    public String getBindAddress() {
        return bindAddress;
    }

    public Integer getPort() {
        return port;
    }

    public Integer getMaxConnections() {
        return maxConnections;
    }

    public Integer getMaxLineLength() {
        return maxLineLength;
    }

    public Integer getMaxMessageSize() {
        return maxMessageSize;
    }

    public Integer getIdleTimeout() {
        return idleTimeout;
    }

    public Integer getWorkerThreads() {
        return workerThreads;
    }

    /**
     * Refuses a missing or wrong value before anything is bound, naming each as the operator wrote it
     * ({@code MCQ_MAX_MESSAGE_SIZE=0: must be …}, or {@code mcq.max.message.size=0: …}), not by its
     * property here.
     */
    @Override
    public void validate() throws InvalidPropertyException {
        List<String> problems = new ArrayList<>();
        check(problems, ListenerSettings.HOST, bindAddress);
        check(problems, ListenerSettings.PORT, port);
        check(problems, ListenerSettings.MAX_CONNECTIONS, maxConnections);
        check(problems, ListenerSettings.MAX_LINE_LENGTH, maxLineLength);
        check(problems, ListenerSettings.MAX_MESSAGE_SIZE, maxMessageSize);
        check(problems, ListenerSettings.IDLE_TIMEOUT, idleTimeout);
        check(problems, ListenerSettings.WORKER_THREADS, workerThreads);
        check(problems, ListenerSettings.CLIENT_MEMORY_MB, clientMemoryMb);
        check(problems, ListenerSettings.SOCKET_MASK, socketMask);
        if (socketPath != null && !socketPath.isBlank()) {
            check(problems, ListenerSettings.SOCKET_PATH, socketPath);
        }
        check(problems, ListenerSettings.TCP, tcp);
        check(problems, ListenerSettings.UDP_PORT, udpPort);
        check(problems, ListenerSettings.AUTH, auth);
        if (authUsers != null && !authUsers.isBlank()) {
            check(problems, ListenerSettings.AUTH_USERS, authUsers);
        }
        if (authUser != null && !authUser.isBlank()) {
            check(problems, ListenerSettings.AUTH_USER, authUser);
        }
        if (problems.isEmpty()) {
            Map<String, String> values = new HashMap<>();
            values.put(ListenerSettings.TCP.name(), tcp);
            values.put(ListenerSettings.SOCKET_PATH.name(), socketPath);
            values.put(ListenerSettings.AUTH.name(), auth);
            values.put(ListenerSettings.AUTH_USERS.name(), authUsers);
            values.put(ListenerSettings.AUTH_USER.name(), authUser);
            values.put(ListenerSettings.AUTH_PASSWORD.name(), authPassword);
            values.put(ListenerSettings.UDP_PORT.name(), udpPort.toString());
            String conflict = ListenerSettings.conflict(values::get, System::getenv);
            if (conflict != null) {
                problems.add(conflict);
            }
        }
        if (problems.isEmpty() && Rule.isTrue(auth)) {
            try {
                credentials(); // the users file and the user named beside it, together
            } catch (IllegalStateException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            InvalidPropertyException e = new InvalidPropertyException("invalid mcq listener settings: "
                    + String.join("; ", problems));
            e.setInvalidPropertyDescriptors(new PropertyDescriptor[0]);
            throw e;
        }
    }

    private static void check(List<String> problems, Setting setting, Object value) {
        if (value == null) {
            problems.add(setting.name() + " is not set (server.xml's activationSpec sets every property from it)");
            return;
        }
        String problem = setting.problem(value.toString(), System::getenv);
        if (problem != null) {
            problems.add(problem);
        }
    }

    /** The users of {@code authUsers} and {@code authUser} when authentication is on, else null. */
    private Credentials credentials() {
        if (!Rule.isTrue(auth)) {
            return null;
        }
        boolean named = authUser != null && !authUser.isBlank();
        try {
            if (authUsers == null || authUsers.isBlank()) {
                return UserFile.of(authUser.strip(), authPassword);
            }
            UserFile file = UserFile.read(Path.of(authUsers.strip()));
            return named ? file.with(authUser.strip(), authPassword) : file;
        } catch (IOException e) {
            throw new IllegalStateException("mcq.auth.users: " + e.getMessage(), e);
        }
    }

    ServerSettings toSettings() {
        long clientMemory = clientMemoryMb == 0 ? Runtime.getRuntime().maxMemory() / 4 : clientMemoryMb * 1024L * 1024;
        return new ServerSettings(bindAddress, port, maxConnections, new Limits(maxLineLength, maxMessageSize),
                idleTimeout, workerThreads, clientMemory,
                socketPath == null || socketPath.isBlank() ? null : socketPath.strip(), Integer.parseInt(socketMask.strip(), 8),
                Rule.isTrue(tcp), udpPort, credentials());
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter resourceAdapter) throws ResourceException {
        this.resourceAdapter = resourceAdapter;
    }
}
