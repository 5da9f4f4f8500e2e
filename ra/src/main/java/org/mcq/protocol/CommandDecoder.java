package org.mcq.protocol;

import java.nio.ByteBuffer;

/**
 * Incremental decoder for one connection: feed it whatever bytes arrive, in any fragmentation, and
 * it yields each command (or rejection) as soon as it is complete. It copies what it needs, so the
 * caller may reuse its buffers; it never holds more than one line (bounded by
 * {@link Limits#maxLineLength()}) plus one data block (bounded by {@link Limits#maxMessageSize()}),
 * and it allocates a data block only once {@link DataMemory} has granted its size.
 */
public final class CommandDecoder {

    private enum State { LINE, AWAIT_MEMORY, DATA, DATA_CR, DATA_LF, SWALLOW, SKIP_LINE, CLOSED }

    private static final byte BINARY_MAGIC = (byte) 0x80;

    private static final Reply OUT_OF_MEMORY = Reply.serverError("out of memory storing object");

    private final Limits limits;
    private final DataMemory memory;
    private final Credentials credentials;
    private final CommandLineParser parser;
    private State state = State.LINE;
    private byte[] line;
    private int lineLength;
    private Command header;
    private byte[] data;
    private int dataFilled;
    /** Length of the data block whose memory is being reserved. */
    private int pendingLength;
    private long swallowRemaining;
    /** The binary protocol's decoder, once the connection's first byte was its magic. */
    private BinaryDecoder binary;
    /** Whether any byte was decoded: only the first says which protocol the connection speaks. */
    private boolean started;

    public CommandDecoder(Limits limits) {
        this(limits, DataMemory.UNLIMITED);
    }

    public CommandDecoder(Limits limits, DataMemory memory) {
        this(limits, memory, null);
    }

    /**
     * @param credentials who may use the server, over the binary protocol with SASL PLAIN; null
     *                    when anyone may (a text-protocol connection is then refused)
     */
    public CommandDecoder(Limits limits, DataMemory memory, Credentials credentials) {
        this.credentials = credentials;
        this.limits = limits;
        this.memory = memory;
        this.parser = new CommandLineParser(limits);
        this.line = new byte[Math.min(128, limits.maxLineLength() + 1)];
    }

    /**
     * Consumes bytes from {@code in} until one unit is complete and returns it, leaving the rest of
     * {@code in} unread; returns null once {@code in} is exhausted without completing one.
     */
    public Decoded decode(ByteBuffer in) {
        if (binary != null) {
            return binary.decode(in);
        }
        if (state == State.AWAIT_MEMORY && !reserve()) {
            return new AwaitMemory(pendingLength);
        }
        while (in.hasRemaining()) {
            Decoded decoded = switch (state) {
                case LINE -> readLine(in);
                case AWAIT_MEMORY -> throw new IllegalStateException("reserved above");
                case DATA -> readData(in);
                case DATA_CR -> expect(in, (byte) '\r', State.DATA_LF);
                case DATA_LF -> expect(in, (byte) '\n', State.LINE);
                case SWALLOW -> swallow(in);
                case SKIP_LINE -> skipLine(in);
                case CLOSED -> discard(in);
            };
            if (decoded != null) {
                return decoded;
            }
        }
        return null;
    }

    /** Whether the decoder is midway through a command (bytes held that are not yet a unit). */
    public boolean isPartial() {
        return state != State.LINE || lineLength > 0;
    }

    /** Capacity reserved for the unit in progress (what the limits bound). */
    public int reservedBytes() {
        return line.length + (data == null ? 0 : data.length);
    }


    /** Bytes the decoder will take as data (or skip) before it reads a command line again. */
    public long bytesUntilLine() {
        return switch (state) {
            case AWAIT_MEMORY -> pendingLength + 2L;
            case DATA -> data.length - dataFilled + 2L;
            case DATA_CR -> 2;
            case DATA_LF -> 1;
            case SWALLOW -> swallowRemaining;
            default -> 0;
        };
    }

    private Decoded readLine(ByteBuffer in) {
        if (lineLength == 0 && in.get(in.position()) == BINARY_MAGIC) {
            if (!started) {
                // as memcached: a connection speaks the protocol its first request does, from then on
                binary = new BinaryDecoder(limits, memory, credentials);
                return binary.decode(in);
            }
            state = State.CLOSED; // a binary request after text ones: the client is confused, and so would we be
            return new Rejection(null, true);
        }
        if (!started && credentials != null) {
            // as memcached's -S: the text protocol has no way to authenticate
            state = State.CLOSED;
            return new Rejection(Reply.clientError("authentication required: this server takes the binary protocol"
                    + " with SASL PLAIN (mcq.auth)"), true);
        }
        started = true;
        int start = in.position();
        int limit = in.limit();
        int newline = -1;
        for (int i = start; i < limit; i++) {
            if (in.get(i) == '\n') {
                newline = i;
                break;
            }
        }
        int chunk = (newline < 0 ? limit : newline) - start;
        // one more than the limit leaves room for the '\r' of a CRLF ending
        if (lineLength + chunk > limits.maxLineLength() + 1) {
            state = State.CLOSED;
            return new Rejection(Reply.clientError("line too long"), true);
        }
        ensureLineCapacity(lineLength + chunk);
        in.get(line, lineLength, chunk);
        lineLength += chunk;
        if (newline < 0) {
            return null;
        }
        in.get();
        int length = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
        lineLength = 0;
        if (length > limits.maxLineLength()) {
            state = State.CLOSED;
            return new Rejection(Reply.clientError("line too long"), true);
        }
        return afterLine(parser.parse(line, length));
    }

    private Decoded afterLine(CommandLineParser.Outcome outcome) {
        if (outcome instanceof CommandLineParser.Done done) {
            return done.decoded();
        }
        if (outcome instanceof CommandLineParser.Swallow swallow) {
            swallowRemaining = swallow.length();
            state = State.SWALLOW;
            return swallow.rejection();
        }
        CommandLineParser.ReadData read = (CommandLineParser.ReadData) outcome;
        int length = read.length();
        if (!memory.fits(length)) {
            swallowRemaining = length + 2L;
            state = State.SWALLOW;
            return new Rejection(OUT_OF_MEMORY, false);
        }
        header = read.header();
        pendingLength = length;
        state = State.AWAIT_MEMORY;
        return reserve() ? null : new AwaitMemory(length);
    }

    private boolean reserve() {
        if (pendingLength > 0 && !memory.tryReserve(pendingLength)) {
            return false;
        }
        data = new byte[pendingLength];
        dataFilled = 0;
        state = pendingLength == 0 ? State.DATA_CR : State.DATA;
        return true;
    }

    private Decoded readData(ByteBuffer in) {
        int n = Math.min(in.remaining(), data.length - dataFilled);
        in.get(data, dataFilled, n);
        dataFilled += n;
        if (dataFilled == data.length) {
            state = State.DATA_CR;
        }
        return null;
    }

    /** The CRLF after a data block is verified, not assumed: a mismatch means the length was wrong. */
    private Decoded expect(ByteBuffer in, byte wanted, State next) {
        byte b = in.get();
        if (b == wanted) {
            state = next;
            if (next != State.LINE) {
                return null;
            }
            Command command = header.withData(data);
            header = null;
            data = null;
            return command;
        }
        header = null;
        memory.release(data.length);
        data = null;
        state = b == '\n' ? State.LINE : State.SKIP_LINE;
        return Rejection.clientError("bad data chunk");
    }

    private Decoded swallow(ByteBuffer in) {
        int n = (int) Math.min(in.remaining(), swallowRemaining);
        in.position(in.position() + n);
        swallowRemaining -= n;
        if (swallowRemaining == 0) {
            state = State.LINE;
        }
        return null;
    }

    private Decoded skipLine(ByteBuffer in) {
        while (in.hasRemaining()) {
            if (in.get() == '\n') {
                state = State.LINE;
                break;
            }
        }
        return null;
    }

    private Decoded discard(ByteBuffer in) {
        in.position(in.limit());
        return null;
    }

    private void ensureLineCapacity(int needed) {
        if (needed > line.length) {
            int capacity = line.length;
            while (capacity < needed) {
                capacity *= 2;
            }
            byte[] bigger = new byte[Math.min(capacity, limits.maxLineLength() + 1)];
            System.arraycopy(line, 0, bigger, 0, lineLength);
            line = bigger;
        }
    }
}
