package org.mcq.protocol;

/** What the decoder yields for each complete unit of input: a command, or the reason it was rejected. */
public sealed interface Decoded permits Command, Rejection {
}
