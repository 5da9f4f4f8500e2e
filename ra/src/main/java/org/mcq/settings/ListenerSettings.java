package org.mcq.settings;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The memcache listener's settings, each with its bounds: checked by the resource adapter's
 * activation spec before it opens the listener, and by the application at start, so that a wrong one
 * stops the start instead of leaving a server up without its port. Their names are those
 * server.xml's {@code <activationSpec>} reads.
 */
public final class ListenerSettings {

    public static final Setting HOST = new Setting("mcq.host", Rule.notBlank());
    public static final Setting PORT = new Setting("mcq.port", Rule.wholeNumber(0, 65535));
    public static final Setting MAX_CONNECTIONS = new Setting("mcq.max.connections", Rule.wholeNumber(1, 1_000_000));
    public static final Setting MAX_LINE_LENGTH = new Setting("mcq.max.line.length", Rule.wholeNumber(64, 64 * 1024 * 1024));
    public static final Setting MAX_MESSAGE_SIZE = new Setting("mcq.max.message.size",
            Rule.wholeNumber(1, Integer.MAX_VALUE - 2));
    public static final Setting IDLE_TIMEOUT = new Setting("mcq.idle.timeout.s", Rule.wholeNumber(0, Integer.MAX_VALUE));
    public static final Setting WORKER_THREADS = new Setting("mcq.worker.threads", Rule.wholeNumber(1, 10_000));
    public static final Setting CLIENT_MEMORY_MB = new Setting("mcq.client.memory.mb", Rule.wholeNumber(0, 1024 * 1024));

    /** A unix socket to listen on as well (MemcacheQ's {@code -s}); empty for none. */
    public static final Setting SOCKET_PATH = new Setting("mcq.socket.path", Rule.socketPath());
    /** The socket file's permissions, in octal (MemcacheQ's {@code -a}, whose default is 0700). */
    public static final Setting SOCKET_MASK = new Setting("mcq.socket.mask", Rule.octalMode());

    /** Whether to listen on the TCP port; false for the unix socket alone (as {@code memcacheq -s}). */
    public static final Setting TCP = new Setting("mcq.tcp", Rule.flag());

    /** A UDP port serving gets, stats and version (MemcacheQ's {@code -U}); 0, the default, for none. */
    public static final Setting UDP_PORT = new Setting("mcq.udp.port", Rule.wholeNumber(0, 65535));

    /** Whether every connection must authenticate (SASL PLAIN over the binary protocol, as memcached's {@code -S}). */
    public static final Setting AUTH = new Setting("mcq.auth", Rule.flag());
    /** The users who may, a file of {@code user:password} lines; with {@link #AUTH}, this or {@link #AUTH_USER}. */
    public static final Setting AUTH_USERS = new Setting("mcq.auth.users", Rule.userFile());
    /** One user who may, written in server.xml (or the environment) with {@link #AUTH_PASSWORD}. */
    public static final Setting AUTH_USER = new Setting("mcq.auth.user", Rule.userName());
    public static final Setting AUTH_PASSWORD = new Setting("mcq.auth.password", Rule.notBlank());

    /** Every setting that must have a value. */
    public static final List<Setting> ALL = List.of(HOST, PORT, MAX_CONNECTIONS, MAX_LINE_LENGTH, MAX_MESSAGE_SIZE,
            IDLE_TIMEOUT, WORKER_THREADS, CLIENT_MEMORY_MB, SOCKET_MASK, TCP, UDP_PORT, AUTH);
    /** Settings whose absence (or an empty value) means a feature is off. */
    public static final List<Setting> OPTIONAL = List.of(SOCKET_PATH, AUTH_USERS, AUTH_USER);

    /**
     * What is wrong in how the settings go together (given each is right on its own), as
     * {@code NAME=value: …}; null if nothing is. {@code setting} gives a setting's value (null if unset).
     */
    public static String conflict(java.util.function.UnaryOperator<String> setting, UnaryOperator<String> environment) {
        String tcp = java.util.Objects.requireNonNullElse(setting.apply(TCP.name()), "true");
        String socketPath = setting.apply(SOCKET_PATH.name());
        if (!Rule.isTrue(tcp) && (socketPath == null || socketPath.isBlank())) {
            return TCP.written(tcp, environment) + "=" + tcp + ": needs " + SOCKET_PATH.name()
                    + " (without the TCP port, the unix socket is the only way in)";
        }
        String user = setting.apply(AUTH_USER.name());
        String password = setting.apply(AUTH_PASSWORD.name());
        boolean named = user != null && !user.isBlank();
        if (named != (password != null && !password.isBlank())) {
            return named ? AUTH_USER.written(user, environment) + "=" + user + ": needs " + AUTH_PASSWORD.name()
                    : AUTH_PASSWORD.name() + " is set: needs " + AUTH_USER.name(); // a password is never quoted
        }
        String auth = java.util.Objects.requireNonNullElse(setting.apply(AUTH.name()), "false");
        if (Rule.isTrue(auth)) {
            String users = setting.apply(AUTH_USERS.name());
            if ((users == null || users.isBlank()) && !named) {
                return AUTH.written(auth, environment) + "=" + auth + ": needs " + AUTH_USERS.name()
                        + " (a file of user:password lines) or " + AUTH_USER.name() + " and " + AUTH_PASSWORD.name();
            }
            String udp = setting.apply(UDP_PORT.name());
            if (udp != null && !udp.strip().equals("0")) {
                return AUTH.written(auth, environment) + "=" + auth + ": cannot go with " + UDP_PORT.written(udp, environment)
                        + "=" + udp + " (UDP has no way to authenticate)";
            }
        }
        return null;
    }

    private ListenerSettings() {
    }
}
