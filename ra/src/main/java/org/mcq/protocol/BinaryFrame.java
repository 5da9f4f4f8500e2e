package org.mcq.protocol;

/**
 * What a binary protocol request says of the reply it wants: the opcode (echoed, and whether it is
 * quiet), the opaque (echoed), and the key (sent back by the {@code K} gets).
 *
 * @param opcode the request's opcode
 * @param opaque the request's opaque, echoed in every reply frame
 * @param key    the request's key, as bytes
 */
public record BinaryFrame(int opcode, int opaque, byte[] key) {

    static final int GET = 0x00;
    static final int SET = 0x01;
    static final int ADD = 0x02;
    static final int REPLACE = 0x03;
    static final int DELETE = 0x04;
    static final int INCREMENT = 0x05;
    static final int DECREMENT = 0x06;
    static final int QUIT = 0x07;
    static final int FLUSH = 0x08;
    static final int GETQ = 0x09;
    static final int NOOP = 0x0a;
    static final int VERSION = 0x0b;
    static final int GETK = 0x0c;
    static final int GETKQ = 0x0d;
    static final int APPEND = 0x0e;
    static final int PREPEND = 0x0f;
    static final int STAT = 0x10;
    static final int SETQ = 0x11;
    static final int ADDQ = 0x12;
    static final int REPLACEQ = 0x13;
    static final int DELETEQ = 0x14;
    static final int INCREMENTQ = 0x15;
    static final int DECREMENTQ = 0x16;
    static final int QUITQ = 0x17;
    static final int FLUSHQ = 0x18;
    static final int APPENDQ = 0x19;
    static final int PREPENDQ = 0x1a;
    static final int VERBOSITY = 0x1b;
    static final int TOUCH = 0x1c;
    static final int GAT = 0x1d;
    static final int GATQ = 0x1e;
    static final int SASL_LIST_MECHS = 0x20;
    static final int SASL_AUTH = 0x21;
    static final int SASL_STEP = 0x22;
    static final int GATK = 0x23;
    static final int GATKQ = 0x24;

    /** A get of some kind: its hit carries the flags and the value. */
    boolean isGet() {
        return opcode == GET || opcode == GETQ || opcode == GETK || opcode == GETKQ;
    }

    /** The gets that send the key back with the value. */
    boolean returnsKey() {
        return opcode == GETK || opcode == GETKQ;
    }

    /** A get that says nothing on a miss. */
    boolean quietOnMiss() {
        return opcode == GETQ || opcode == GETKQ || opcode == GATQ || opcode == GATKQ;
    }

    /** A command that says nothing on success (only its errors are answered). */
    boolean quietOnSuccess() {
        return switch (opcode) {
            case SETQ, ADDQ, REPLACEQ, DELETEQ, INCREMENTQ, DECREMENTQ, QUITQ, FLUSHQ, APPENDQ, PREPENDQ -> true;
            default -> false;
        };
    }
}
