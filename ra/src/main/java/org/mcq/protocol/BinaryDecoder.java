package org.mcq.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The binary protocol's requests, for a connection whose first byte was its magic ({@code 0x80}):
 * a 24-byte header (opcode, key and extras lengths, body length, opaque), then extras, key and
 * value. Each request becomes the {@link Command} its text twin would (a get pops, a set appends),
 * carrying its {@link BinaryFrame} so the reply is framed to match; what needs no queue (a no-op, a
 * quit) or is wrong is answered here, as a {@link Rejection}. Limits hold as in text: a key over
 * 250 bytes and a value over the message size are refused from the header, their bytes skipped
 * unread; a value is allocated only once {@link DataMemory} granted its size.
 */
final class BinaryDecoder {

    private static final byte REQUEST_MAGIC = (byte) 0x80;
    private static final int HEADER = 24;
    private static final int MAX_KEY = 250;
    /** A SASL mechanism's name (RFC 4422: at most 20 characters). */
    private static final int MAX_MECHANISM = 20;
    /** A SASL PLAIN message: authorization identity, user and password, each at most 255 bytes, and two NULs. */
    private static final int MAX_SASL_VALUE = 3 * 255 + 2;

    private enum State { HEADER, EXTRAS_AND_KEY, AWAIT_MEMORY, VALUE, SWALLOW, CLOSED }

    private final Limits limits;
    private final DataMemory memory;
    /** Who may use the server; null when authentication is off. */
    private final Credentials credentials;
    private boolean authenticated;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER);
    private State state = State.HEADER;
    private int opcode;
    private int keyLength;
    private int extrasLength;
    private int valueLength;
    private int opaque;
    private byte[] extrasAndKey;
    private int extrasAndKeyFilled;
    private byte[] value;
    private int valueFilled;
    private long swallowRemaining;

    BinaryDecoder(Limits limits, DataMemory memory, Credentials credentials) {
        this.limits = limits;
        this.memory = memory;
        this.credentials = credentials;
    }

    Decoded decode(ByteBuffer in) {
        if (state == State.AWAIT_MEMORY) {
            if (!memory.tryReserve(valueLength)) {
                return new AwaitMemory(valueLength);
            }
            startValue();
        }
        while (in.hasRemaining()) {
            Decoded decoded = switch (state) {
                case HEADER -> readHeader(in);
                case EXTRAS_AND_KEY -> readExtrasAndKey(in);
                case VALUE -> readValue(in);
                case SWALLOW -> swallow(in);
                case CLOSED -> discard(in);
                case AWAIT_MEMORY -> throw new IllegalStateException("reserved above");
            };
            if (decoded != null) {
                return decoded;
            }
        }
        return null;
    }

    private Decoded readHeader(ByteBuffer in) {
        while (header.hasRemaining() && in.hasRemaining()) {
            header.put(in.get());
        }
        if (header.hasRemaining()) {
            return null;
        }
        header.flip();
        byte magic = header.get();
        opcode = header.get() & 0xFF;
        keyLength = header.getShort() & 0xFFFF;
        extrasLength = header.get() & 0xFF;
        header.get(); // data type
        header.getShort(); // vbucket
        long bodyLength = header.getInt() & 0xFFFFFFFFL;
        opaque = header.getInt();
        header.clear();
        if (magic != REQUEST_MAGIC) {
            // the frames no longer line up: nothing after this can be read as a request
            state = State.CLOSED;
            return new Rejection(BinaryReply.error(frame(), BinaryReply.INVALID, "Invalid magic"), true);
        }
        if (credentials != null && !authenticated && !isSasl(opcode) && opcode != BinaryFrame.VERSION) {
            // as memcached with -S: nothing but authentication (and a version probe) before it
            // succeeded; the connection is closed, so it holds nothing for whoever it is
            state = State.CLOSED;
            return new Rejection(BinaryReply.error(frame(), BinaryReply.AUTH_ERROR, "Auth failure."), true);
        }
        long valueBytes = bodyLength - keyLength - extrasLength;
        if (isSasl(opcode) && (keyLength > MAX_MECHANISM || valueBytes > MAX_SASL_VALUE)) {
            // PLAIN needs three names of at most 255 bytes: more is not a login, and would hold client memory
            return skip(bodyLength, BinaryReply.AUTH_ERROR, "Auth failure.");
        }
        if (valueBytes < 0) {
            return skip(bodyLength, BinaryReply.INVALID, "Invalid arguments");
        }
        if (keyLength > MAX_KEY) {
            return skip(bodyLength, BinaryReply.INVALID, "Key too long");
        }
        if (valueBytes > limits.maxMessageSize()) {
            return skip(bodyLength, BinaryReply.TOO_LARGE, "Too large.");
        }
        if (valueBytes > 0 && !takesValue(opcode)) {
            return skip(bodyLength, BinaryReply.INVALID, "Invalid arguments");
        }
        valueLength = (int) valueBytes;
        extrasAndKey = new byte[extrasLength + keyLength];
        extrasAndKeyFilled = 0;
        state = State.EXTRAS_AND_KEY;
        return extrasAndKey.length == 0 ? afterExtrasAndKey() : null;
    }

    private Decoded readExtrasAndKey(ByteBuffer in) {
        int n = Math.min(in.remaining(), extrasAndKey.length - extrasAndKeyFilled);
        in.get(extrasAndKey, extrasAndKeyFilled, n);
        extrasAndKeyFilled += n;
        return extrasAndKeyFilled == extrasAndKey.length ? afterExtrasAndKey() : null;
    }

    /** The request's fixed parts are in: its value is reserved and read, or it is complete. */
    private Decoded afterExtrasAndKey() {
        if (valueLength == 0) {
            value = new byte[0];
            return complete();
        }
        if (!memory.fits(valueLength)) {
            return skip(valueLength, BinaryReply.OUT_OF_MEMORY, "Out of memory");
        }
        if (!memory.tryReserve(valueLength)) {
            state = State.AWAIT_MEMORY;
            return new AwaitMemory(valueLength);
        }
        startValue();
        return null;
    }

    private void startValue() {
        value = new byte[valueLength];
        valueFilled = 0;
        state = State.VALUE;
    }

    private Decoded readValue(ByteBuffer in) {
        int n = Math.min(in.remaining(), value.length - valueFilled);
        in.get(value, valueFilled, n);
        valueFilled += n;
        return valueFilled == value.length ? complete() : null;
    }

    private Decoded complete() {
        state = State.HEADER;
        byte[] key = new byte[keyLength];
        System.arraycopy(extrasAndKey, extrasLength, key, 0, keyLength);
        ByteBuffer extras = ByteBuffer.wrap(extrasAndKey, 0, extrasLength);
        BinaryFrame frame = new BinaryFrame(opcode, opaque, key);
        byte[] data = value;
        value = null;
        extrasAndKey = null;
        String name = new String(key, StandardCharsets.ISO_8859_1);
        // a key as the text protocol takes one (no space there, as it ends a word): a queue's name is
        // written bare in text replies (stats queue), so a CR or LF in it would forge lines there
        boolean badKey = !name.isEmpty() && !isSasl(opcode) && (!Words.validKey(name) || name.indexOf(' ') >= 0);
        Decoded decoded = badKey ? invalid(frame) : request(frame, name, extras, data);
        if (!(decoded instanceof Command command && command.data() == data) && data.length > 0) {
            memory.release(data.length); // refused: the value reserved goes back
        }
        return decoded;
    }

    /** The command the request stands for, or the answer it gets here. */
    private Decoded request(BinaryFrame frame, String key, ByteBuffer extras, byte[] data) {
        int extraBytes = extras.remaining();
        switch (opcode) {
            case BinaryFrame.GET, BinaryFrame.GETQ, BinaryFrame.GETK, BinaryFrame.GETKQ -> {
                ReadKey read = key.isEmpty() || extraBytes != 0 ? null : ReadKey.parse(key);
                if (read == null) {
                    return invalid(frame);
                }
                // as gets: the reply's cas is the message's id, as binary clients expect one
                return Command.retrieval(Verb.GETS, List.of(read)).withFrame(frame);
            }
            case BinaryFrame.SET, BinaryFrame.SETQ, BinaryFrame.ADD, BinaryFrame.ADDQ, BinaryFrame.REPLACE,
                 BinaryFrame.REPLACEQ -> {
                if (key.isEmpty() || extraBytes != 8) {
                    return invalid(frame);
                }
                long flags = extras.getInt() & 0xFFFFFFFFL;
                long exptime = extras.getInt();
                return Command.storage(storageVerb(opcode), key, flags, exptime, 0, false).withData(data).withFrame(frame);
            }
            case BinaryFrame.APPEND, BinaryFrame.APPENDQ, BinaryFrame.PREPEND, BinaryFrame.PREPENDQ -> {
                if (key.isEmpty() || extraBytes != 0) {
                    return invalid(frame);
                }
                Verb verb = opcode == BinaryFrame.APPEND || opcode == BinaryFrame.APPENDQ ? Verb.APPEND : Verb.PREPEND;
                return Command.storage(verb, key, 0, 0, 0, false).withData(data).withFrame(frame);
            }
            case BinaryFrame.DELETE, BinaryFrame.DELETEQ -> {
                if (key.isEmpty() || extraBytes != 0) {
                    return invalid(frame);
                }
                return Command.keyed(Verb.DELETE, List.of(key), false).withFrame(frame);
            }
            case BinaryFrame.INCREMENT, BinaryFrame.INCREMENTQ, BinaryFrame.DECREMENT, BinaryFrame.DECREMENTQ -> {
                if (key.isEmpty() || extraBytes != 20) {
                    return invalid(frame);
                }
                Verb verb = opcode == BinaryFrame.INCREMENT || opcode == BinaryFrame.INCREMENTQ ? Verb.INCR : Verb.DECR;
                return Command.arithmetic(verb, key, extras.getLong(), false).withFrame(frame);
            }
            case BinaryFrame.TOUCH, BinaryFrame.GAT, BinaryFrame.GATQ, BinaryFrame.GATK, BinaryFrame.GATKQ -> {
                if (key.isEmpty() || extraBytes != 4) {
                    return invalid(frame);
                }
                return Command.touch(key, extras.getInt(), false).withFrame(frame);
            }
            case BinaryFrame.FLUSH, BinaryFrame.FLUSHQ -> {
                if (!key.isEmpty() || extraBytes != 0 && extraBytes != 4) {
                    return invalid(frame);
                }
                return Command.flushAll(extraBytes == 4 ? extras.getInt() : 0, false).withFrame(frame);
            }
            case BinaryFrame.VERSION -> {
                return Command.bare(Verb.VERSION).withFrame(frame);
            }
            case BinaryFrame.STAT -> {
                return Command.stats(key.isEmpty() ? StatsSubcommand.GENERAL : StatsSubcommand.named(key)).withFrame(frame);
            }
            case BinaryFrame.VERBOSITY -> {
                return Command.verbosity(extraBytes == 4 ? extras.getInt() : 0, false).withFrame(frame);
            }
            case BinaryFrame.SASL_LIST_MECHS, BinaryFrame.SASL_AUTH, BinaryFrame.SASL_STEP -> {
                return sasl(frame, key, data);
            }
            case BinaryFrame.NOOP -> {
                return new Rejection(BinaryReply.ok(frame), false);
            }
            case BinaryFrame.QUIT -> {
                state = State.CLOSED;
                return new Rejection(BinaryReply.ok(frame), true);
            }
            case BinaryFrame.QUITQ -> {
                state = State.CLOSED;
                return new Rejection(null, true);
            }
            default -> {
                return new Rejection(BinaryReply.error(frame, BinaryReply.UNKNOWN_COMMAND, "Unknown command"), false);
            }
        }
    }

    /**
     * SASL PLAIN (RFC 4616), in one step: the value is {@code authzid NUL user NUL password}; the
     * authorization identity, if any, must be the user.
     */
    private Decoded sasl(BinaryFrame frame, String mechanism, byte[] value) {
        if (credentials == null) {
            return new Rejection(BinaryReply.error(frame, BinaryReply.UNKNOWN_COMMAND, "Unknown command"), false);
        }
        if (frame.opcode() == BinaryFrame.SASL_LIST_MECHS) {
            return new Rejection(BinaryReply.ok(frame, "PLAIN"), false);
        }
        if (frame.opcode() == BinaryFrame.SASL_AUTH && mechanism.equals("PLAIN")) {
            int first = indexOf(value, 0);
            int second = first < 0 ? -1 : indexOf(value, first + 1);
            if (second > 0) {
                String authzid = new String(value, 0, first, StandardCharsets.UTF_8);
                String user = new String(value, first + 1, second - first - 1, StandardCharsets.UTF_8);
                byte[] password = java.util.Arrays.copyOfRange(value, second + 1, value.length);
                if ((authzid.isEmpty() || authzid.equals(user)) && credentials.accept(user, password)) {
                    authenticated = true;
                    return new Rejection(BinaryReply.ok(frame, "Authenticated"), false);
                }
            }
        }
        return new Rejection(BinaryReply.error(frame, BinaryReply.AUTH_ERROR, "Auth failure."), false);
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isSasl(int opcode) {
        return opcode == BinaryFrame.SASL_LIST_MECHS || opcode == BinaryFrame.SASL_AUTH || opcode == BinaryFrame.SASL_STEP;
    }

    private static Verb storageVerb(int opcode) {
        return switch (opcode) {
            case BinaryFrame.ADD, BinaryFrame.ADDQ -> Verb.ADD;
            case BinaryFrame.REPLACE, BinaryFrame.REPLACEQ -> Verb.REPLACE;
            default -> Verb.SET;
        };
    }

    private static boolean takesValue(int opcode) {
        return switch (opcode) {
            case BinaryFrame.SET, BinaryFrame.SETQ, BinaryFrame.ADD, BinaryFrame.ADDQ, BinaryFrame.REPLACE,
                 BinaryFrame.REPLACEQ, BinaryFrame.APPEND, BinaryFrame.APPENDQ, BinaryFrame.PREPEND,
                 BinaryFrame.PREPENDQ, BinaryFrame.SASL_AUTH, BinaryFrame.SASL_STEP -> true;
            default -> false;
        };
    }

    private static Rejection invalid(BinaryFrame frame) {
        return new Rejection(BinaryReply.error(frame, BinaryReply.INVALID, "Invalid arguments"), false);
    }

    private BinaryFrame frame() {
        return new BinaryFrame(opcode, opaque, new byte[0]);
    }

    /** Answers the request with an error now and skips its body unread. */
    private Decoded skip(long bytes, int status, String message) {
        swallowRemaining = bytes;
        state = bytes == 0 ? State.HEADER : State.SWALLOW;
        return new Rejection(BinaryReply.error(frame(), status, message), false);
    }

    private Decoded swallow(ByteBuffer in) {
        int n = (int) Math.min(in.remaining(), swallowRemaining);
        in.position(in.position() + n);
        swallowRemaining -= n;
        if (swallowRemaining == 0) {
            state = State.HEADER;
        }
        return null;
    }

    private Decoded discard(ByteBuffer in) {
        in.position(in.limit());
        return null;
    }
}
