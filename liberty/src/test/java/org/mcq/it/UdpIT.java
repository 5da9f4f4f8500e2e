package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The UDP port (MemcacheQ's {@code -U}): pecl memcache's pool sends a multi-key get over UDP when it
 * is given a UDP port, and a reply datagram that never arrives is a message lost, which is why the
 * port is off by default.
 */
@ExtendWith(SharedServer.class)
class UdpIT {

    @Test
    void peclMemcachePopsOverUdp() throws Exception {
        LibertyServer server = SharedServer.server();
        try (MemcacheClient tcp = new MemcacheClient("127.0.0.1", server.port());
             ServerSocket decoy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertEquals("STORED", tcp.set("udp-q", "over udp"));
            // the pool's TCP port is a decoy that finds nothing: the message can only come over UDP
            Thread decoyThread = new Thread(() -> answerEnd(decoy), "decoy");
            decoyThread.setDaemon(true);
            decoyThread.start();
            String script = "$p = new MemcachePool; $p->addServer('127.0.0.1', " + decoy.getLocalPort() + ", "
                    + SharedServer.udpPort() + "); echo json_encode($p->get(['udp-q']));";
            Command php = Command.run(Map.of(), "php", "-r", script);
            assertEquals(0, php.exit(), php.output());
            assertEquals("{\"udp-q\":\"over udp\"}", php.output().strip());
            assertNull(tcp.get("udp-q"), "popped");
        }
    }

    @Test
    void aClientThatDropsItsReplyLosesTheMessage() throws Exception {
        LibertyServer server = SharedServer.server();
        try (MemcacheClient tcp = new MemcacheClient("127.0.0.1", server.port())) {
            assertEquals("STORED", tcp.set("udp-lost", "gone"));
            byte[] line = "get udp-lost\r\n".getBytes(StandardCharsets.US_ASCII);
            ByteBuffer request = ByteBuffer.allocate(8 + line.length);
            request.putShort((short) 9).putShort((short) 0).putShort((short) 1).putShort((short) 0).put(line);
            try (DatagramSocket udp = new DatagramSocket()) {
                udp.send(new DatagramPacket(request.array(), request.capacity(), InetAddress.getLoopbackAddress(),
                        SharedServer.udpPort()));
            } // closed unread, as a reply lost on the way would be
            assertTrue(Eventually.holds(Duration.ofSeconds(30), () -> "1/1".equals(tcp.stats("queue").get("udp-lost"))),
                    "the get was served: stored 1, consumed 1");
            assertNull(tcp.get("udp-lost"), "the message went with the reply nobody read");
        }
    }

    /** Answers END to every line of every connection, as a server with nothing would. */
    private static void answerEnd(ServerSocket decoy) {
        while (!decoy.isClosed()) {
            try (Socket client = decoy.accept()) {
                InputStream in = client.getInputStream();
                OutputStream out = client.getOutputStream();
                for (int b = in.read(); b >= 0; b = in.read()) {
                    if (b == '\n') {
                        out.write("END\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
            } catch (IOException e) {
                return;
            }
        }
    }
}
