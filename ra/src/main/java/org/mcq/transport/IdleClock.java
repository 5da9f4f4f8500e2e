package org.mcq.transport;

import java.util.function.Predicate;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.utils.DelayedExecutor;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;

/**
 * The idle timeout, the time a connection waits for its own replies not counted. Grizzly's filter
 * counts only a read or a write in progress as activity, and a connection is read while its replies
 * wait for the disk (see {@link Session}): such a wait would count as idle, and a blocking read
 * longer than the timeout ({@code get q/t=60000}) would be cut off, its message taken with it. A
 * wait for the output to drain (a client that does not read its replies) is not counted either, as
 * when such a connection's read was suspended.
 */
final class IdleClock {

    private final long timeoutMillis;
    private final IdleTimeoutFilter filter;

    /** @param waiting whether a connection's replies are under way */
    IdleClock(DelayedExecutor executor, long timeoutMillis, Predicate<Connection<?>> waiting) {
        this.timeoutMillis = timeoutMillis;
        this.filter = new IdleTimeoutFilter(executor,
                ctx -> waiting.test(ctx.getConnection()) ? IdleTimeoutFilter.FOREVER : timeoutMillis);
    }

    IdleTimeoutFilter filter() {
        return filter;
    }

    /** The connection's replies are out: it is idle from now until its next command. */
    void restart(Connection<?> connection) {
        filter.getResolver().setTimeoutMillis(connection, System.currentTimeMillis() + timeoutMillis);
    }
}
