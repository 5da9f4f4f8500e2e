package org.mcq.transport;

import java.io.IOException;

/**
 * A listener's address is held by another program (a TCP or UDP port in use, a unix socket another
 * server answers on): unlike a wrong address or a missing directory, this can pass by itself, so
 * the listener is worth trying again.
 */
public final class AddressTaken extends IOException {

    private static final long serialVersionUID = 1L;

    AddressTaken(String message, Throwable cause) {
        super(message, cause);
    }

    /** The OS's word for EADDRINUSE, as the JDK reports a bind that failed with it. */
    static boolean inUse(IOException e) {
        return e instanceof java.net.BindException && "Address already in use".equals(e.getMessage());
    }
}
