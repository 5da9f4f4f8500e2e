package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The binary protocol (a connection whose first byte is {@code 0x80}), with php-memcached in binary
 * mode running the same script as in text, and a raw client for what the limits refuse. MemcacheQ
 * hung waiting for a newline; this server used to close such a connection.
 */
@ExtendWith(SharedServer.class)
class BinaryProtocolIT {

    @Test
    void phpMemcachedInBinaryModeWorks() throws Exception {
        String output = PhpClientIT.runPhp("memcached_client.php", "127.0.0.1", SharedServer.server().port(), "binary");
        assertTrue(output.contains("ok: OPT_BINARY_PROTOCOL true") && output.contains("ALL OK"), output);
    }

    /** A request: magic, opcode, key length, extras length, 0, vbucket, body length, opaque, cas. */
    private static byte[] request(int opcode, int opaque, byte[] extras, String key, byte[] value) {
        byte[] keyBytes = key.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(24 + extras.length + keyBytes.length + value.length)
                .put((byte) 0x80).put((byte) opcode).putShort((short) keyBytes.length).put((byte) extras.length)
                .put((byte) 0).putShort((short) 0).putInt(extras.length + keyBytes.length + value.length)
                .putInt(opaque).putLong(0).put(extras).put(keyBytes).put(value).array();
    }

    /** One response: its opcode, status and opaque, and its value as text. */
    private record Response(int opcode, int status, int opaque, String value) {
        static Response read(DataInputStream in) throws Exception {
            byte[] header = new byte[24];
            in.readFully(header);
            ByteBuffer h = ByteBuffer.wrap(header);
            assertEquals(0x81, h.get() & 0xFF, "response magic");
            int opcode = h.get() & 0xFF;
            int keyLength = h.getShort() & 0xFFFF;
            int extrasLength = h.get() & 0xFF;
            h.get();
            int status = h.getShort() & 0xFFFF;
            int body = h.getInt();
            int opaque = h.getInt();
            byte[] rest = new byte[body];
            in.readFully(rest);
            return new Response(opcode, status, opaque,
                    new String(rest, extrasLength + keyLength, body - extrasLength - keyLength, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void limitsAreAnsweredWithTheirStatusAndTheConnectionStaysInStep() throws Exception {
        LibertyServer server = SharedServer.server();
        byte[] setExtras = ByteBuffer.allocate(8).putInt(7).putInt(0).array();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(request(0x01, 1, setExtras, "bin-q", "payload".getBytes(StandardCharsets.US_ASCII)));
            out.write(request(0x01, 2, setExtras, "bin-q", new byte[1024 * 1024 + 1])); // over mcq.max.message.size
            out.write(request(0x00, 3, new byte[0], "k".repeat(251), new byte[0]));
            out.write(request(0x0d, 4, new byte[0], "bin-none", new byte[0])); // a quiet miss: nothing
            out.write(request(0x00, 5, new byte[0], "bin-q", new byte[0]));
            out.write(request(0x0a, 6, new byte[0], "", new byte[0]));
            out.flush();
            assertEquals(new Response(0x01, 0, 1, ""), Response.read(in), "stored");
            Response tooLarge = Response.read(in);
            assertEquals(0x0003, tooLarge.status(), "too large: " + tooLarge);
            assertEquals(2, tooLarge.opaque());
            assertEquals(0x0004, Response.read(in).status(), "a key over 250 bytes is invalid");
            assertEquals(new Response(0x00, 0, 5, "payload"), Response.read(in), "popped, in step after the refusals");
            assertEquals(new Response(0x0a, 0, 6, ""), Response.read(in), "the no-op ends the batch");
        }
        try (MemcacheClient text = server.client()) {
            assertEquals(null, text.get("bin-q"), "the binary client popped it from the queue text clients use");
        }
    }
}
