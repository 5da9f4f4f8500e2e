package org.mcq.transport;

/**
 * A read whose bytes a {@link Session} held behind replies under way: its connection is not read
 * again from {@link #suspend} until {@link #resume}, so one connection never has more than one read
 * held (see {@link InputTurn}).
 */
interface HeldRead {

    void suspend();

    void resume();
}
