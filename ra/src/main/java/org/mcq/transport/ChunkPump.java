package org.mcq.transport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mcq.protocol.Reply;

/**
 * Writes a streamed reply chunk by chunk: the next chunk is asked for once the last one is handed to
 * the socket and the connection may take more ({@link Output#backlogged()}), so the reply is never
 * held whole, and a client that does not read it holds the server to its connection's share of
 * output. Runs while the connection's input is held (see {@link Session}), so nothing else writes
 * to its output meanwhile.
 */
final class ChunkPump {

    private static final Logger LOG = Logger.getLogger(ChunkPump.class.getName());

    private final Reply.Chunks chunks;
    private final Output output;
    private final Executor continuations;
    private final CompletableFuture<Reply> written = new CompletableFuture<>();
    /** The chunk asked for and not yet written. */
    private CompletableFuture<byte[]> next;

    private ChunkPump(Reply.Chunks chunks, Output output, Executor continuations) {
        this.chunks = chunks;
        this.output = output;
        this.continuations = continuations;
    }

    /**
     * Starts writing the reply on this thread; carries on on {@code continuations} whenever it waits
     * for a chunk or for the socket. The stage completes, with no reply of its own to send, once the
     * last chunk is handed to the output (or the connection is gone).
     */
    static CompletableFuture<Reply> write(Reply.Streamed reply, Output output, Executor continuations) {
        ChunkPump pump = new ChunkPump(reply.chunks(), output, continuations);
        pump.pump();
        return pump.written;
    }

    private void pump() {
        try {
            while (true) {
                if (!output.open()) {
                    chunks.abandon();
                    written.complete(null);
                    return;
                }
                if (next == null) {
                    next = chunks.next().toCompletableFuture();
                }
                if (!next.isDone()) {
                    next.whenComplete((chunk, failure) -> continuations.execute(this::pump));
                    return;
                }
                byte[] chunk = next.join();
                next = null;
                if (chunk == null) {
                    written.complete(null);
                    return;
                }
                output.add(chunk);
                output.flush();
                if (output.backlogged()) {
                    output.drained().whenComplete((ready, failure) -> continuations.execute(this::pump));
                    return;
                }
            }
        } catch (RuntimeException e) {
            // the reply is cut short: the client cannot find the end of it, so the connection goes
            LOG.log(Level.WARNING, "a streamed reply failed; closing its connection", e);
            chunks.abandon();
            output.close();
            written.complete(null);
        }
    }
}
