package org.mcq.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal blocking memcache client for load: writes requests, parses replies strictly. */
final class Connection implements AutoCloseable {

    private final java.io.Closeable socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] lineBuffer = new byte[512];

    /** A TCP connection, or with {@code host} {@code unix:/path} one to that unix socket ({@code port} unused). */
    Connection(String host, int port) throws IOException {
        if (host.startsWith("unix:")) {
            java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open(
                    java.net.UnixDomainSocketAddress.of(host.substring("unix:".length())));
            socket = channel;
            in = new BufferedInputStream(java.nio.channels.Channels.newInputStream(channel), 256 * 1024);
            out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 256 * 1024);
            return;
        }
        Socket tcp = new Socket(host, port);
        tcp.setTcpNoDelay(true);
        tcp.setSoTimeout(60_000);
        socket = tcp;
        in = new BufferedInputStream(tcp.getInputStream(), 256 * 1024);
        out = new BufferedOutputStream(tcp.getOutputStream(), 256 * 1024);
    }

    void writeSet(byte[] header, byte[] body) throws IOException {
        out.write(header);
        out.write(body);
        out.write('\r');
        out.write('\n');
    }

    void writeGet(byte[] request) throws IOException {
        out.write(request);
    }

    void flush() throws IOException {
        out.flush();
    }

    void expectStored() throws IOException {
        String line = line();
        if (!line.equals("STORED")) {
            throw new IOException("expected STORED, got " + line);
        }
    }

    /** Reads a retrieval reply; returns the body length, or -1 for a miss. */
    int readValue() throws IOException {
        String line = line();
        if (line.equals("END")) {
            return -1;
        }
        if (!line.startsWith("VALUE ")) {
            throw new IOException("expected VALUE, got " + line);
        }
        int length = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
        in.skipNBytes(length + 2L);
        String end = line();
        if (!end.equals("END")) {
            throw new IOException("expected END, got " + end);
        }
        return length;
    }

    private String line() throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b == '\n') {
                return new String(lineBuffer, 0, n > 0 && lineBuffer[n - 1] == '\r' ? n - 1 : n, StandardCharsets.ISO_8859_1);
            }
            if (n < lineBuffer.length) {
                lineBuffer[n++] = (byte) b;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
