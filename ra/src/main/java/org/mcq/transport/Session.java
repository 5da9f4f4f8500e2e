package org.mcq.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mcq.listener.ClientConnection;
import org.mcq.listener.TransportStats;
import org.mcq.protocol.AwaitMemory;
import org.mcq.protocol.BinaryFrame;
import org.mcq.protocol.BinaryReply;
import org.mcq.protocol.Command;
import org.mcq.protocol.CommandDecoder;
import org.mcq.protocol.Credentials;
import org.mcq.protocol.Decoded;
import org.mcq.protocol.Limits;
import org.mcq.protocol.Rejection;
import org.mcq.protocol.Reply;
import org.mcq.protocol.Verb;

/**
 * One connection's protocol state. Commands run on the thread that read them, in order. When
 * replies must wait (a disk commit), the connection stays readable, so that the client's next
 * command, sent once it has the reply, is read without waking the selector up; bytes that come
 * before the replies are out are held (the connection then stops being read, its read context
 * suspended) and worked on after them, and an end of input meanwhile closes the connection only
 * once they are out ({@link InputFilter}): so replies keep the commands' order, and a client that
 * half-closes after its last command still gets every reply. Pipelined commands of one kind (a
 * run of sets, a run of gets) wait together, so their writes share a commit; any other command
 * waits for the run ahead of it (see {@link InFlight}). Replies that are ready at once are written
 * together, one write per read. Memory: a data block is read only once the {@link ClientMemory}
 * budget has room for it (until then what follows is held as above), and a connection holding
 * unsent output stops being read while the budget is over, until that output is out. A streamed
 * reply (every queue listed) is written chunk by chunk as the socket takes it ({@link ChunkPump}),
 * input held meanwhile as behind any reply that waits.
 */
final class Session implements ClientConnection {

    private static final Logger LOG = Logger.getLogger(Session.class.getName());
    /** Gathered replies are written once they exceed this, so a pipeline of large gets is not held whole. */
    private static final int FLUSH_THRESHOLD = 256 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** Replies that have to wait, the unit decoded but not yet run, and the input after it. */
    private record Waiting(InFlight flight, Decoded next, ByteBuffer rest) {
    }

    private final CommandDecoder decoder;
    private final CommandHandler handler;
    private final ConnectionCounters counters;
    private final Executor continuations;
    private final ConnectionMemory memory;
    private final Quiescence quiescence;
    private final Output output;
    /** Restarts the connection's idle time once its replies are out. */
    private final Runnable idleAgain;

    private final InputTurn turn = new InputTurn();
    /** The client ended its input: set on the selector thread, read by whichever runs a command. */
    private volatile boolean inputEnded;

    Session(Wire connection, Limits limits, Credentials credentials, CommandHandler handler, ConnectionCounters counters,
            Executor continuations, ClientMemory budget, Quiescence quiescence, Runnable idleAgain) {
        this.quiescence = quiescence;
        this.memory = new ConnectionMemory(budget);
        this.decoder = new CommandDecoder(limits, memory, credentials);
        this.output = new Output(connection, counters, memory);
        this.handler = handler;
        this.counters = counters;
        this.continuations = continuations;
        this.idleAgain = idleAgain;
    }

    /**
     * Handles new bytes on the selector thread. Returns false only when they were held behind
     * replies under way: the context is then suspended, to be resumed once those replies are out
     * and the bytes taken up.
     */
    boolean received(HeldRead read, ByteBuffer in) {
        if (!turn.take(read, in)) {
            return false; // replies are under way: these bytes wait for them
        }
        // counted before the stop flag is read (in process): a stop that began since is seen there, a stop
        // that begins later waits for these replies to be handed to the socket, not only for those that wait
        // for the disk; else a get could pop a message and its reply meet a connection the stop had closed
        quiescence.waitBegins();
        Waiting waiting = process(null, in);
        if (waiting == null) {
            turn.giveBack();
            quiescence.waitEnds();
            return true;
        }
        // the connection stays readable while the replies wait: reading its next command needs no wake-up
        carryOn(waiting);
        return true;
    }

    /** Whether replies are under way, or input is being worked on. */
    boolean waiting() {
        return turn.taken();
    }

    /**
     * The client ended its input (a close or a half-close) on the selector thread. Returns true when
     * replies are under way: the connection is closed once they are out, and the handler is told, off
     * this thread (a read it ends writes its reply, which may close the connection); false when it may
     * be closed now.
     */
    boolean inputEnds() {
        inputEnded = true; // before the handler is told: a read that begins after it does not wait
        if (!turn.endOfInput()) {
            return false;
        }
        continuations.execute(() -> handler.inputEnded(this));
        return true;
    }

    private void carryOn(Waiting waiting) {
        waiting.flight().done().whenComplete((done, failure) -> {
            Reply.Streamed streamed = waiting.flight().streamed();
            if (streamed != null) {
                // a listing that was given later: written chunk by chunk all the same
                output.flush();
                ChunkPump.write(streamed, output, continuations)
                        .whenComplete((written, error) -> afterReplies(waiting.next(), waiting.rest()));
                return;
            }
            waiting.flight().writeTo(output);
            output.flush();
            afterReplies(waiting.next(), waiting.rest());
        });
    }

    /** The replies waited for are out: the input after them is worked on, if any, else the wait ends. */
    private void afterReplies(Decoded next, ByteBuffer rest) {
        ByteBuffer input = rest;
        if (next == null && !rest.hasRemaining()) {
            input = takeHeld();
            if (input == null) {
                return;
            }
        }
        // input is waiting: work on it off the thread that completed the reply (the disk writer)
        ByteBuffer taken = input;
        continuations.execute(() -> {
            Waiting more = process(next, taken);
            if (more != null) {
                carryOn(more);
            } else {
                afterReplies(null, EMPTY);
            }
        });
    }

    /**
     * The input read while replies were under way, the connection being read again; or null when
     * there is none (or the connection is closing): then the wait ends, and a connection whose
     * client ended its input is closed, its replies being out.
     */
    private ByteBuffer takeHeld() {
        InputTurn.Next next = turn.handOver(output.closed(), idleAgain);
        if (next.input() == null) {
            quiescence.waitEnds();
            if (next.close()) {
                output.close();
            }
        }
        return next.input();
    }

    /**
     * Runs {@code first} (if any) and then decodes and runs the input until it is used up or the
     * connection closes (null), or replies must be waited for.
     */
    private Waiting process(Decoded first, ByteBuffer in) {
        InFlight flight = null;
        Decoded decoded = first != null ? first : decoder.decode(in);
        for (; decoded != null; decoded = decoder.decode(in)) {
            if (quiescence.stopping() || output.closed()) {
                // the listener is stopping, or the client is gone: what is under way finishes, nothing new starts
                in.position(in.limit());
                break;
            }
            if (flight != null && !flight.admits(decoded)) {
                output.flush();
                return new Waiting(flight, decoded, keep(in));
            }
            if (decoded instanceof AwaitMemory await) {
                output.flush();
                return new Waiting(InFlight.single(memory.await(await.bytes()).thenApply(granted -> (Reply) null), false),
                        null, keep(in));
            }
            if (decoded instanceof Rejection rejection) {
                if (rejection.reply() != null) {
                    output.add(rejection.reply());
                }
                if (rejection.close()) {
                    output.close();
                    return null;
                }
                continue;
            }
            Command command = (Command) decoded;
            if (command.verb() == Verb.QUIT) {
                output.close();
                return null;
            }
            CompletableFuture<Reply> reply = execute(command);
            if (flight == null && reply.isDone()) {
                if (reply.join() instanceof Reply.Streamed streamed) {
                    if (command.noreply()) {
                        streamed.chunks().abandon();
                        continue;
                    }
                    output.flush();
                    return new Waiting(InFlight.single(ChunkPump.write(streamed, output, continuations), false),
                            null, keep(in));
                }
                if (!command.noreply()) {
                    output.add(reply.join());
                    if (output.gathered() > FLUSH_THRESHOLD) {
                        output.flush();
                        if (output.backlogged()) {
                            return untilWritable(in);
                        }
                    }
                }
                continue;
            }
            if (flight == null) {
                output.flush();
                flight = InFlight.of(command);
            }
            flight.add(reply, command.noreply());
        }
        output.flush();
        if (flight != null) {
            return new Waiting(flight, null, EMPTY);
        }
        return output.backlogged() ? untilWritable(in) : null;
    }

    /**
     * A client that does not read its replies: its commands are held (at most one read more) until
     * its output drains, so it cannot make the server buffer without bound.
     */
    private Waiting untilWritable(ByteBuffer in) {
        return new Waiting(InFlight.single(output.drained(), false), null, keep(in));
    }

    /**
     * The caller's buffer is recycled once it returns: what is left of it is kept in a copy. It is
     * at most one read (see {@link MemcacheServer}), and a connection keeps at most two (the rest of
     * the read being worked on, and one held), so it is bounded per connection rather than by the
     * budget, whose room for small requests it must not take.
     */
    private static ByteBuffer keep(ByteBuffer in) {
        return in.hasRemaining() ? ByteBuffer.allocate(in.remaining()).put(in).flip() : EMPTY;
    }

    private CompletableFuture<Reply> execute(Command command) {
        CompletableFuture<Reply> reply;
        try {
            reply = handler.handle(command, this).toCompletableFuture();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "command " + command.verb().wireName() + " failed", e);
            reply = CompletableFuture.completedFuture(Reply.serverError("internal error"));
        }
        BinaryFrame frame = command.frame();
        if (frame != null) {
            // a failure framed too: a text line on a binary connection would throw its client out of step
            reply = reply.handle((answer, failure) -> BinaryReply.of(frame,
                    failure == null ? answer : Reply.serverError("internal error")));
        }
        if (command.data() != null && command.data().length > 0) {
            // the block was reserved by the decoder; once the reply is in, the queue holds the body
            int reserved = command.data().length;
            if (reply.isDone()) {
                memory.release(reserved);
            } else {
                reply.whenComplete((done, failure) -> memory.release(reserved));
            }
        }
        return reply;
    }

    /** The connection is closed: what it held goes back to the budget. */
    void closed() {
        memory.close();
    }

    @Override
    public TransportStats transport() {
        return counters;
    }

    @Override
    public boolean reserveReply(int bytes) {
        return memory.reserveReply(bytes);
    }

    @Override
    public void releaseReply(int bytes) {
        memory.release(bytes);
    }

    @Override
    public boolean inputEnded() {
        return inputEnded;
    }
}
