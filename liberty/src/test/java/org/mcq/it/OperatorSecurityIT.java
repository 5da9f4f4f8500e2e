package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What guards a server, as an operator leaves it or sets it. No keystore password ships with the
 * server: each server makes its own at its first start (server.env), keeps it readable by its owner
 * only, and Liberty makes the HTTPS keystore with it; two servers do not share one, the published
 * default of earlier releases opens neither, a restart opens the same keystore and HTTPS answers with
 * it again. A password the operator sets is used as it is, and none is made. With {@code mcq.auth}
 * on (the same server: a start saved), the memcache port takes only clients that authenticate.
 */
class OperatorSecurityIT {

    private static final String PUBLISHED = "mcq-change-this-keystore-password";

    @Test
    void eachServerMakesItsOwnPasswordAndKeepsItAcrossARestart() throws Exception {
        try (LibertyServer first = LibertyServer.start("keystore-a", Map.of(LibertyServer.OWN_KEYS, "true"));
             LibertyServer second = LibertyServer.start("keystore-b", Map.of(LibertyServer.OWN_KEYS, "true"))) {
            String password = keptPassword(first);
            String other = keptPassword(second);
            assertNotEquals(password, other, "two servers' keystore passwords");
            assertTrue(password.matches("[0-9a-f]{48}"), "192 random bits, in hex: " + password);

            Certificate certificate = certificate(first, password);
            assertNotEquals(certificate, certificate(second, other), "each server has its own certificate");
            for (String wrong : new String[]{other, PUBLISHED}) {
                assertThrows(IOException.class, () -> certificate(first, wrong), "opens with " + wrong);
            }
            assertEquals(200, httpsReady(first, password), "HTTPS with the keystore made with its password");

            first.restart();
            assertEquals(password, keptPassword(first), "the same password after a restart");
            assertEquals(certificate, certificate(first, password), "the same keystore after a restart");
            assertEquals(200, httpsReady(first, password), "HTTPS after a restart");
        }
    }

    @Test
    void theOperatorsKeystorePasswordAndSaslUsersAreUsed(@TempDir Path directory) throws Exception {
        String chosen = "operator-chosen-keystore-password";
        Path users = Files.writeString(directory.resolve("users"), "# workers\napp:w0rker-pass\n");
        try (LibertyServer server = LibertyServer.start("keystore-set", Map.of("MCQ_KEYSTORE_PASSWORD", chosen,
                LibertyServer.OWN_KEYS, "true", "MCQ_AUTH", "true", "MCQ_AUTH_USERS", users.toString(),
                "MCQ_AUTH_USER", "inline", "MCQ_AUTH_PASSWORD", "written-in-settings"))) {
            assertTrue(Eventually.holds(Duration.ofSeconds(60), () -> Files.exists(server.security("key.p12"))),
                    "Liberty made no keystore");
            assertEquals(200, httpsReady(server, chosen));
            assertFalse(Files.exists(server.security("key.p12.password")), "no password made beside the operator's");

            Command php = Command.run(Map.of(), "php", "-d", "memcached.use_sasl=1", PhpClientIT.SCRIPTS.resolve("sasl.php").toString(),
                    "127.0.0.1", Integer.toString(server.port()), "app", "w0rker-pass");
            assertEquals(0, php.exit(), php.output());
            assertTrue(php.output().contains("ALL OK"), php.output());
            Command inline = Command.run(Map.of(), "php", "-d", "memcached.use_sasl=1",
                    PhpClientIT.SCRIPTS.resolve("sasl.php").toString(), "127.0.0.1", Integer.toString(server.port()),
                    "inline", "written-in-settings");
            assertTrue(inline.exit() == 0 && inline.output().contains("ALL OK"), "the user of mcq.auth.user: " + inline.output());
            try (MemcacheClient text = server.client()) {
                assertEquals("CLIENT_ERROR authentication required: this server takes the binary protocol with SASL PLAIN (mcq.auth)",
                        text.call("get anything"));
                assertTrue(text.closedByServer(10_000), "and the text connection is closed");
            }
        }
    }

    /** The password the server made, checked to be its owner's alone, once Liberty has made the keystore with it. */
    private static String keptPassword(LibertyServer server) throws Exception {
        assertTrue(Eventually.holds(Duration.ofSeconds(60), () -> Files.exists(server.security("key.p12"))),
                "Liberty made no keystore");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(server.security("key.p12.password")));
        return Files.readString(server.security("key.p12.password"));
    }

    /** The server's certificate, from its keystore opened with {@code password} (IOException if it does not open). */
    private static Certificate certificate(LibertyServer server, String password) throws Exception {
        return keystore(server, password).getCertificate("default");
    }

    private static KeyStore keystore(LibertyServer server, String password) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(server.security("key.p12"))) {
            keys.load(in, password.toCharArray());
        }
        return keys;
    }

    /** /health/ready over HTTPS, trusting only the certificate in the server's keystore. */
    private static int httpsReady(LibertyServer server, String password) throws Exception {
        HttpClient https = LibertyServer.httpsClient(keystore(server, password));
        return https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.httpsPort() + "/health/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
