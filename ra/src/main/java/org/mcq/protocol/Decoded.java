package org.mcq.protocol;

/**
 * What the decoder yields for each complete unit of input: a command, or the reason it was rejected;
 * or, between units, that it waits for memory for a data block.
 */
public sealed interface Decoded permits Command, Rejection, AwaitMemory {
}
