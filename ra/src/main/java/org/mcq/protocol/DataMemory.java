package org.mcq.protocol;

/**
 * Where the decoder gets the memory for a data block before it allocates it, so what clients make
 * the server hold stays within a budget. The decoder reserves a block's length when its command line
 * has been read and hands the block over with the command; whoever ends up with the command releases it.
 */
public interface DataMemory {

    /** No budget: every block fits (tests, tools). */
    DataMemory UNLIMITED = new DataMemory() {
        @Override
        public boolean fits(int bytes) {
            return true;
        }

        @Override
        public boolean tryReserve(int bytes) {
            return true;
        }

        @Override
        public void release(int bytes) {
        }
    };

    /** Whether a block of this size could ever be reserved; one that cannot is refused and skipped. */
    boolean fits(int bytes);

    /** Reserves the bytes if there is room now; false means the decoder must wait ({@link AwaitMemory}). */
    boolean tryReserve(int bytes);

    /** Gives back a reservation whose block was dropped (a bad data chunk). */
    void release(int bytes);
}
