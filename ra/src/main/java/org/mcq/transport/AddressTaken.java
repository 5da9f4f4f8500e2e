package org.mcq.transport;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

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

    /**
     * Whether a failed bind of {@code address} may pass by itself: any bind failure but for an address
     * this machine does not have. The OS's words (EADDRINUSE's "Address already in use") come in the
     * system's language, so they are not what decides. A port the server's user may not bind (below
     * 1024) counts as taken too: its reason is shown until the operator grants it, and then it is taken.
     */
    static boolean inUse(IOException e, InetSocketAddress address) {
        if (!(e instanceof BindException)) {
            return false;
        }
        InetAddress host = address.getAddress();
        try {
            return host == null || host.isAnyLocalAddress() || host.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(host) != null;
        } catch (SocketException unknown) {
            return false;
        }
    }
}
