package org.mcq.protocol;

/**
 * The next data block needs memory that is not free now. The decoder keeps the command line and
 * tries again at the next {@link CommandDecoder#decode}; the caller should stop reading the
 * connection until the memory may be there (nothing of the block has been allocated).
 *
 * @param bytes the size of the block waiting for memory
 */
public record AwaitMemory(int bytes) implements Decoded {
}
