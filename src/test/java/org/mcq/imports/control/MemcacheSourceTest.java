package org.mcq.imports.control;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A source that answers a byte at a time, each within the read timeout, still meets the reply's deadline. */
class MemcacheSourceTest {

    @Test
    void aSourceThatTricklesItsReplyIsGivenUpOnAtTheDeadline() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread trickle = new Thread(() -> {
                try (Socket client = server.accept()) {
                    client.getInputStream().read(); // the request's first byte: the reply is under way
                    OutputStream out = client.getOutputStream();
                    byte[] reply = "STAT open_reads 0\r\nSTAT curr_items 1\r\nEND\r\n".getBytes(StandardCharsets.US_ASCII);
                    for (byte b : reply) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(150); // the source's pace, under the 400 ms read timeout: what is tested
                    }
                } catch (IOException | InterruptedException e) {
                    // the client gave up and closed: what the test expects
                }
            }, "trickling-source");
            trickle.start();
            long began = System.nanoTime();
            try (MemcacheSource source = new MemcacheSource("127.0.0.1", server.getLocalPort(), 400)) {
                assertThrows(SocketTimeoutException.class, source::survey);
            }
            long tookMillis = (System.nanoTime() - began) / 1_000_000;
            assertTrue(tookMillis < 2_000, "given up at the 400 ms deadline (plus a read), not after the "
                    + "7 s the whole reply takes: " + tookMillis + " ms");
            trickle.join(10_000);
        }
    }
}
