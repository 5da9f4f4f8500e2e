package org.mcq.transport;

import java.util.concurrent.CompletableFuture;
import org.mcq.protocol.DataMemory;

/**
 * What one connection holds of the {@link ClientMemory} budget: its request's data block, bodies
 * taken for its replies, output not yet written. All of it goes back to
 * the budget when the connection closes, whatever was in progress; releases after that are ignored.
 * Synchronised per connection: the selector, the writer's completions and Grizzly's write
 * completions all touch it.
 */
final class ConnectionMemory implements DataMemory {

    private final ClientMemory budget;
    private long held;
    private long unsent;
    /** Reserved on the decoder's behalf by a granted wait, taken by its next {@link #tryReserve}. */
    private long granted;
    private ClientMemory.Waiter waiter;
    /** The wait's own completion: a connection closed meanwhile ends it too, so its session is not left waiting. */
    private CompletableFuture<Void> awaited;
    private CompletableFuture<Void> drained;
    private boolean closed;

    ConnectionMemory(ClientMemory budget) {
        this.budget = budget;
    }

    @Override
    public boolean fits(int bytes) {
        return budget.fits(bytes);
    }

    @Override
    public synchronized boolean tryReserve(int bytes) {
        if (granted >= bytes) {
            granted -= bytes;
            return true;
        }
        return reserve(bytes);
    }

    /** Completes once {@code bytes} are reserved for the decoder's next {@link #tryReserve}. */
    synchronized CompletableFuture<Void> await(int bytes) {
        if (closed) {
            return CompletableFuture.completedFuture(null); // nothing to wait for: nobody reads on
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        awaited = done;
        waiter = budget.await(bytes, () -> granted(bytes, done));
        return done;
    }

    private void granted(int bytes, CompletableFuture<Void> done) {
        synchronized (this) {
            waiter = null;
            awaited = null;
            if (closed) {
                budget.release(bytes); // close() ended the wait
                return;
            }
            held += bytes;
            granted += bytes;
        }
        done.complete(null);
    }

    @Override
    public synchronized void release(int bytes) {
        release((long) bytes);
    }

    /** Reserves room for a reply's data block, if the budget has it (never the decoder's grant). */
    synchronized boolean reserveReply(int bytes) {
        return reserve(bytes);
    }

    private boolean reserve(int bytes) {
        if (closed || !budget.tryReserve(bytes)) {
            return false;
        }
        held += bytes;
        return true;
    }

    /** Counts bytes already held (the lines of a reply), room or not. */
    private void charge(long bytes) {
        if (!closed) {
            held += bytes;
            budget.charge(bytes);
        }
    }

    synchronized void release(long bytes) {
        if (!closed && bytes != 0) {
            held -= bytes;
            budget.release(bytes);
        }
    }

    /**
     * Output of {@code bytes} handed to the socket, of which {@code reserved} were reserved as reply
     * bodies already; the rest is charged now.
     */
    synchronized void sending(long bytes, long reserved) {
        charge(bytes - reserved);
        if (!closed) {
            unsent += bytes;
        }
    }

    /** Output of {@code bytes} has left (or failed to): its memory is free. */
    void sent(long bytes) {
        CompletableFuture<Void> done = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            unsent -= bytes;
            release(bytes);
            if (unsent == 0 && drained != null) {
                done = drained;
                drained = null;
            }
        }
        if (done != null) {
            done.complete(null);
        }
    }

    /** Whether this connection should stop being read until its output is out: the budget is over. */
    synchronized boolean mustDrain() {
        return unsent > 0 && budget.over();
    }

    /** Completes when every byte handed to the socket so far has left. */
    synchronized CompletableFuture<Void> drained() {
        if (unsent == 0 || closed) {
            return CompletableFuture.completedFuture(null);
        }
        if (drained == null) {
            drained = new CompletableFuture<>();
        }
        return drained;
    }

    /** The connection is gone: everything it held goes back, a wait in progress is withdrawn. */
    void close() {
        CompletableFuture<Void> done;
        CompletableFuture<Void> await;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (waiter != null) {
                budget.cancel(waiter); // if granted meanwhile, granted() sees closed and gives it back
                waiter = null;
            }
            await = awaited;
            awaited = null;
            budget.release(held);
            held = 0;
            done = drained;
            drained = null;
        }
        if (done != null) {
            done.complete(null);
        }
        if (await != null) {
            await.complete(null);
        }
    }
}
