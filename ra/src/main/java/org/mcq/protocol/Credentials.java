package org.mcq.protocol;

/**
 * Who may use the server when authentication is on (SASL PLAIN over the binary protocol, as
 * memcached's {@code -S}): checked once per connection, before its first command.
 */
@FunctionalInterface
public interface Credentials {

    /** Whether {@code user} with {@code password} may use the server. */
    boolean accept(String user, byte[] password);
}
