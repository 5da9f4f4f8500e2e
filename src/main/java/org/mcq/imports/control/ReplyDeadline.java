package org.mcq.imports.control;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * The time a source has for a whole reply, not only for each read: a source that sends a byte now
 * and then, each within the socket's timeout, would otherwise hold the import for ever. A reply
 * gets the timeout, and each line and body of it the time it takes at {@link #MIN_BYTES_PER_SECOND}
 * besides (a listing of a million queues is megabytes of lines).
 */
final class ReplyDeadline extends FilterInputStream {

    /** The slowest a body may come: a 64 MiB one gets about 17 minutes. */
    static final long MIN_BYTES_PER_SECOND = 64 * 1024;

    private final long timeoutNanos;
    private long deadline = Long.MAX_VALUE;

    ReplyDeadline(InputStream in, long timeoutMillis) {
        super(in);
        this.timeoutNanos = timeoutMillis * 1_000_000;
    }

    /** A command was sent: its reply is due within the timeout. */
    void replyDue() {
        deadline = System.nanoTime() + timeoutNanos;
    }

    /** The reply announced a body of {@code bytes}, or a line of them came: the time they take at the slowest rate. */
    void allow(long bytes) {
        deadline += bytes * 1_000_000_000L / MIN_BYTES_PER_SECOND;
    }

    private void check() throws SocketTimeoutException {
        if (System.nanoTime() - deadline > 0) {
            throw new SocketTimeoutException("the source's reply did not come within " + timeoutNanos / 1_000_000
                    + " ms (a body at least " + MIN_BYTES_PER_SECOND / 1024 + " KiB a second)");
        }
    }

    @Override
    public int read() throws IOException {
        check();
        return super.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        check();
        return super.read(buffer, offset, length);
    }
}
