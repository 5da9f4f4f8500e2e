package org.mcq.it;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import org.mcq.model.Link;
import org.mcq.model.Target;

/**
 * Real Liberty servers as the model's {@link Target}: a connection is a TCP socket to the memcache
 * port, a restart is {@code server stop} (SIGTERM) and a start, a kill is SIGKILL and a start on the
 * same database and ports.
 */
final class ServerTarget implements Target {

    /** Longer than any reply takes, even a sync commit on a slow disk; a hung server fails the run instead of hanging it. */
    private static final int READ_TIMEOUT_MS = 30_000;

    private final List<LibertyServer> servers;

    ServerTarget(LibertyServer... servers) {
        this.servers = List.of(servers);
    }

    @Override
    public int servers() {
        return servers.size();
    }

    @Override
    public Link connect(int server) throws IOException {
        return new TcpLink(servers.get(server).port());
    }

    @Override
    public void restart(int server) throws Exception {
        servers.get(server).restart();
    }

    @Override
    public void kill(int server) throws Exception {
        LibertyServer crashed = servers.get(server);
        crashed.kill();
        crashed.startAgain();
    }

    @Override
    public boolean canKill() {
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        for (LibertyServer server : servers) {
            server.close();
        }
    }

    /** One plain client connection; closing it is a FIN, as a client that hangs up. */
    private static final class TcpLink implements Link {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        TcpLink(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        @Override
        public void send(byte[] request) throws IOException {
            out.write(request);
            out.flush();
        }

        @Override
        public InputStream replies() {
            return in;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
