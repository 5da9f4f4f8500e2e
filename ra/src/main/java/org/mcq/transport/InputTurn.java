package org.mcq.transport;

import java.nio.ByteBuffer;

/**
 * Whose turn it is to work on one connection's input. The selector thread that reads it takes the
 * turn when it is free; while replies are under way it is not, and the bytes read meanwhile are held
 * (a copy: the caller's buffer is recycled) with their read suspended, so the connection is not read
 * again until they are taken up; the thread that writes those replies then carries on with them, or
 * gives the turn back. An end of input meanwhile is noted, for the connection to be closed then.
 */
final class InputTurn {

    /** What the turn's holder does once its replies are out. */
    record Next(ByteBuffer input, boolean close) {
    }

    private boolean taken;
    private ByteBuffer held;
    private HeldRead heldRead;
    private boolean ended;

    /**
     * On the selector thread: true when the caller has the turn and works on {@code in}; false
     * when {@code in} was held and the read suspended.
     */
    synchronized boolean take(HeldRead read, ByteBuffer in) {
        if (!taken) {
            taken = true;
            return true;
        }
        held = ByteBuffer.allocate(in.remaining()).put(in).flip();
        heldRead = read;
        read.suspend();
        return false;
    }

    /** The selector thread worked its input off with nothing under way (nothing can be held then). */
    synchronized void giveBack() {
        taken = false;
    }

    /** Whether input is being worked on or replies are under way. */
    synchronized boolean taken() {
        return taken;
    }

    /** The client ended its input: true when the turn's holder is to close the connection once done. */
    synchronized boolean endOfInput() {
        ended = taken;
        return taken;
    }

    /**
     * The holder's replies are out: the input held meanwhile (its read resumed), the turn kept; or,
     * when none was held or {@code closed}, the turn given back, with whether to close the connection,
     * {@code idle} run just before: under the lock, so that it cannot land after the next turn began.
     */
    Next handOver(boolean closed, Runnable idle) {
        HeldRead read;
        Next next;
        synchronized (this) {
            ByteBuffer input = closed ? null : held;
            next = new Next(input, input == null && ended);
            if (input == null) {
                idle.run();
            }
            taken = input != null;
            read = heldRead;
            held = null;
            heldRead = null;
        }
        if (read != null) {
            read.resume();
        }
        return next;
    }
}
