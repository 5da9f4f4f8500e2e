package org.mcq.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mcq.protocol.Command;
import org.mcq.protocol.CommandDecoder;
import org.mcq.protocol.DataMemory;
import org.mcq.protocol.Decoded;
import org.mcq.protocol.Limits;
import org.mcq.protocol.ReadKey;
import org.mcq.protocol.Rejection;
import org.mcq.protocol.Reply;
import org.mcq.protocol.StatsSubcommand;
import org.mcq.protocol.Verb;

/**
 * The memcache protocol over UDP (MemcacheQ's {@code -U}), as memcached frames it: every datagram
 * begins with 8 bytes (request id, sequence number, datagram count, reserved); a request is one
 * datagram; a reply is split over as many datagrams as it takes, each echoing the request id with
 * its own sequence number and the count. Only what a UDP client reads is served: {@code get} and
 * {@code gets} (a pop, or a peek), {@code stats} and {@code version}. A pop whose reply datagram is
 * lost is a lost message, which is why the port is off unless set; reliable and blocking reads,
 * which belong to a connection, are refused.
 */
final class UdpListener {

    private static final Logger LOG = Logger.getLogger(UdpListener.class.getName());
    private static final int MAX_REQUEST = 64 * 1024;
    private static final int RECEIVE_POLL_MILLIS = 200;
    /**
     * The most a reply may carry in values: a get whose values would pass it takes no more (they stay
     * queued). Far below what the datagram count can number (65,535 of 1,392 bytes).
     */
    private static final int MAX_REPLY_VALUES = 4 * 1024 * 1024;
    /**
     * A data block is allocated for a UDP request only as large as a datagram can carry (the set is
     * refused then, as over UDP; a larger one is refused unallocated), so that a 20-byte datagram
     * declaring a megabyte allocates nothing.
     */
    private static final DataMemory NO_DATA = new DataMemory() {
        @Override
        public boolean fits(int bytes) {
            return bytes <= MAX_REQUEST;
        }

        @Override
        public boolean tryReserve(int bytes) {
            return bytes <= MAX_REQUEST;
        }

        @Override
        public void release(int bytes) {
        }
    };

    private final InetSocketAddress address;
    private final Limits limits;
    private final CommandHandler handler;
    private final ConnectionCounters counters;
    private final ClientMemory budget;
    private final Quiescence quiescence;
    private DatagramChannel channel;
    private Thread thread;
    private volatile boolean reading = true;

    UdpListener(InetSocketAddress address, Limits limits, CommandHandler handler, ConnectionCounters counters,
                ClientMemory budget, Quiescence quiescence) {
        this.address = address;
        this.limits = limits;
        this.handler = handler;
        this.counters = counters;
        this.budget = budget;
        this.quiescence = quiescence;
    }

    void start() throws IOException {
        channel = DatagramChannel.open();
        try {
            channel.bind(address);
        } catch (IOException e) {
            channel.close();
            String reason = "UDP port " + address + " cannot be listened on: " + e.getMessage();
            throw AddressTaken.inUse(e, address) ? new AddressTaken(reason, e) : new IOException(reason, e);
        }
        thread = new Thread(this::run, "mcq-udp");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * No more requests are read; the port stays open for the replies under way (a pop waiting for the
     * disk), which the quiescence waits for before {@link #close}.
     */
    void stopReading() {
        reading = false;
        if (thread == null) {
            return; // never started: the TCP port or this one could not be had
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Frees the port: after {@link #stopReading} and the replies under way. */
    void close() {
        reading = false;
        if (channel == null) {
            return; // never started
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closed either way
        }
    }

    private void run() {
        byte[] buffer = new byte[MAX_REQUEST];
        java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
        try {
            // a receive that times out now and then, so that a stop can end the reading and leave the
            // channel open for the replies still to be sent
            channel.socket().setSoTimeout(RECEIVE_POLL_MILLIS);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "the UDP listener on " + address + " cannot start reading", e);
            return;
        }
        while (reading) {
            try {
                packet.setData(buffer);
                channel.socket().receive(packet);
            } catch (java.net.SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                if (reading) {
                    LOG.log(Level.WARNING, "the UDP listener on " + address + " failed to read", e);
                }
                return;
            }
            if (!reading) {
                return; // read as the stop began: not started
            }
            ByteBuffer in = ByteBuffer.wrap(buffer, 0, packet.getLength());
            counters.read(in.remaining());
            try {
                request(packet.getSocketAddress(), in);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a UDP request failed", e);
            }
        }
    }

    /** One datagram: its header checked, its commands run, their replies sent back in order. */
    private void request(SocketAddress client, ByteBuffer in) {
        if (in.remaining() < Datagrams.HEADER) {
            return; // no header to answer to: memcached drops it too
        }
        int id = in.getShort() & 0xFFFF;
        in.getShort(); // sequence: 0 in a request
        int count = in.getShort() & 0xFFFF;
        in.getShort();
        if (count != 1) {
            send(client, id, List.of(Reply.serverError("multi-packet request not supported")));
            return;
        }
        UdpRequest request = new UdpRequest(budget, counters, MAX_REPLY_VALUES);
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        quiescence.waitBegins();
        try {
            CommandDecoder decoder = new CommandDecoder(limits, NO_DATA);
            for (Decoded decoded = decoder.decode(in); decoded != null; decoded = decoder.decode(in)) {
                if (quiescence.stopping()) {
                    break;
                }
                if (decoded instanceof Rejection rejection) {
                    if (rejection.reply() != null) {
                        replies.add(CompletableFuture.completedFuture(rejection.reply()));
                    }
                    if (rejection.close()) {
                        break;
                    }
                    continue;
                }
                if (!(decoded instanceof Command command)) {
                    break; // a data block waiting for memory: not with NO_DATA, which grants or refuses at once
                }
                String refusal = refusal(command);
                if (refusal != null) {
                    replies.add(CompletableFuture.completedFuture(Reply.clientError(refusal)));
                    continue;
                }
                replies.add(execute(command, request));
            }
        } catch (RuntimeException e) {
            request.close();
            handler.closed(request);
            quiescence.waitEnds();
            throw e;
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).whenComplete((done, failure) -> {
            try {
                List<Reply> answers = new ArrayList<>();
                for (CompletableFuture<Reply> reply : replies) {
                    answers.add(reply.isCompletedExceptionally() ? Reply.serverError("internal error") : reply.join());
                }
                handler.closed(request); // nothing more can come of it: told before the reply, which the client may act on
                if (!answers.isEmpty()) {
                    send(client, id, answers);
                }
            } finally {
                request.close();
                quiescence.waitEnds();
            }
        });
    }

    /** Why a command is not served over UDP, or null if it is. */
    private static String refusal(Command command) {
        if (command.frame() != null) {
            return "the binary protocol is not served over UDP";
        }
        Verb verb = command.verb();
        if (verb == Verb.GET || verb == Verb.GETS) {
            for (ReadKey read : command.reads()) {
                if (read.open() || read.close() || read.abort() || read.waitMillis() > 0) {
                    return "reliable and blocking reads need a connection: use the TCP port";
                }
            }
            return null;
        }
        if (verb == Verb.VERSION || verb == Verb.STATS && command.stats() == StatsSubcommand.GENERAL) {
            return null;
        }
        return verb.wireName() + " is not served over UDP: use the TCP port";
    }

    private CompletableFuture<Reply> execute(Command command, UdpRequest request) {
        try {
            return handler.handle(command, request).toCompletableFuture();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "command " + command.verb().wireName() + " failed", e);
            return CompletableFuture.completedFuture(Reply.serverError("internal error"));
        }
    }

    /** The replies, in order, split over datagrams of at most {@link Datagrams#MAX_DATAGRAM} bytes. */
    private void send(SocketAddress client, int id, List<Reply> replies) {
        ReplyBuffer gathered = new ReplyBuffer();
        for (Reply reply : replies) {
            if (reply instanceof Reply.Streamed streamed) {
                streamed.chunks().abandon();
                gathered.add(Reply.serverError("reply too long for UDP: use the TCP port"));
            } else {
                gathered.add(reply);
            }
        }
        int size = gathered.size();
        List<ByteBuffer> datagrams = Datagrams.split(id, gathered.drain(), size);
        if (datagrams == null) {
            send(client, id, List.of(Reply.serverError("reply too long for UDP: use the TCP port")));
            return;
        }
        for (ByteBuffer datagram : datagrams) {
            try {
                counters.written(datagram.remaining());
                channel.send(datagram, client);
            } catch (IOException e) {
                LOG.fine(() -> "a UDP reply to " + client + " was not sent: " + e);
                return;
            }
        }
    }
}
