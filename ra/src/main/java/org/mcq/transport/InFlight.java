package org.mcq.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.mcq.protocol.Command;
import org.mcq.protocol.Decoded;
import org.mcq.protocol.Reply;
import org.mcq.protocol.Verb;

/**
 * A run of one connection's pipelined commands whose replies are still to come, in order. Only
 * commands of one kind join a run: consecutive sets (the writer keeps their order) or consecutive
 * gets (they pop in order when they run); anything else waits for the run to finish, so a get after
 * a set sees it. A get that may wait for a message runs alone: what follows it waits its turn.
 */
final class InFlight {

    private final Verb kind;
    private final List<CompletableFuture<Reply>> replies = new ArrayList<>();
    private final List<Boolean> silent = new ArrayList<>();

    private InFlight(Verb kind) {
        this.kind = kind;
    }

    static InFlight of(Command command) {
        return new InFlight(kindOf(command));
    }

    /** A run holding only this reply, sent or not. */
    static InFlight single(CompletableFuture<Reply> reply, boolean send) {
        InFlight flight = new InFlight(null);
        flight.add(reply, !send);
        return flight;
    }

    private static Verb kindOf(Command command) {
        return switch (command.verb()) {
            case SET -> Verb.SET;
            case GET, GETS -> command.waits() ? null : Verb.GET;
            default -> null;
        };
    }

    /** Whether the unit may start before the run's replies are in. */
    boolean admits(Decoded decoded) {
        return kind != null && decoded instanceof Command command && kindOf(command) == kind;
    }

    void add(CompletableFuture<Reply> reply, boolean noreply) {
        replies.add(reply);
        silent.add(noreply);
    }

    CompletableFuture<Void> done() {
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new));
    }

    /**
     * The run's reply if it is a {@link Reply.Streamed} to be sent, else null. A streamed reply is
     * always alone in its run: only sets and plain gets share one.
     */
    Reply.Streamed streamed() {
        if (replies.size() != 1 || silent.get(0)) {
            return null;
        }
        CompletableFuture<Reply> reply = replies.get(0);
        return !reply.isCompletedExceptionally() && reply.join() instanceof Reply.Streamed streamed ? streamed : null;
    }

    /** Adds the replies to be sent, in order, to the output (a failed one as an error). */
    void writeTo(Output output) {
        for (int i = 0; i < replies.size(); i++) {
            CompletableFuture<Reply> reply = replies.get(i);
            Reply given = reply.isCompletedExceptionally() ? Reply.serverError("internal error") : reply.join();
            if (given instanceof Reply.Streamed streamed) {
                streamed.chunks().abandon(); // a noreply listing: nobody reads it
            } else if (!silent.get(i)) {
                output.add(given);
            }
        }
    }
}
