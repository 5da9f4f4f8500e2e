package org.mcq.transport;

import java.io.EOFException;
import java.io.IOException;
import java.util.function.Predicate;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.IOEvent;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.nio.transport.TCPNIOConnection;
import org.glassfish.grizzly.nio.transport.TCPNIOUtils;

/**
 * Grizzly's transport filter with a read that lets a connection outlive its client's end of input.
 * A connection is read while its replies wait for the disk (so a durable reply needs no selector
 * wake-up to read the next command), and Grizzly's own read closes the connection at once on end of
 * stream, which would drop the replies of a client that half-closed after its last command. Here,
 * at end of stream, {@code holdsOpen} is asked first: when it takes the end in, the connection stops
 * being read and its session closes it once its replies are out. Writes are Grizzly's.
 */
final class InputFilter extends TransportFilter {

    private final Predicate<Connection<?>> holdsOpen;

    InputFilter(Predicate<Connection<?>> holdsOpen) {
        this.holdsOpen = holdsOpen;
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        TCPNIOConnection connection = (TCPNIOConnection) ctx.getConnection();
        Buffer buffer;
        try {
            buffer = TCPNIOUtils.allocateAndReadBuffer(connection);
        } catch (EOFException end) {
            // an ended stream stays readable: without this the selector would read it again and again
            // until the close, which waits for the output still queued
            connection.disableIOEvent(IOEvent.READ);
            if (holdsOpen.test(connection)) {
                return ctx.getStopAction();
            }
            throw end; // closed (gracefully: what is queued goes out first)
        }
        if (buffer.position() == 0) {
            return ctx.getStopAction();
        }
        buffer.trim();
        ctx.setMessage(buffer);
        return ctx.getInvokeAction();
    }
}
