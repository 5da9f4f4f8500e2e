package org.mcq.protocol;

/**
 * Bounds the decoder enforces before it allocates anything for a command.
 *
 * @param maxLineLength  longest command line accepted, excluding its line ending
 * @param maxMessageSize largest data block accepted; larger ones are swallowed and refused
 */
public record Limits(int maxLineLength, int maxMessageSize) {

    /** Keys longer than this are refused, as in memcached. */
    public static final int MAX_KEY_LENGTH = 250;

    public Limits {
        if (maxLineLength < 64) {
            throw new IllegalArgumentException("maxLineLength must be at least 64, was " + maxLineLength);
        }
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("maxMessageSize must be positive, was " + maxMessageSize);
        }
    }
}
