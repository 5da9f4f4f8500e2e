package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin API, metrics and their security on the real server: queues made over memcache are
 * listed, looked into, purged and deleted over HTTP, and memcache clients see the changes; wrong
 * or missing credentials get 401; without an admin password the API refuses and says how to set
 * one while health, metrics and memcache work; HTTPS answers with the configured keystore.
 */
@ExtendWith(SharedServer.class) // the source of an import
class AdminApiIT {

    private static final String PASSWORD = "it-admin-secret";

    @Test
    void queuesAreListedLookedIntoPurgedAndDeletedOverHttp() throws Exception {
        try (LibertyServer server = LibertyServer.start("admin-api", Map.of("MCQ_ADMIN_PASSWORD", PASSWORD));
             MemcacheClient memcache = server.client()) {
            AdminHttp admin = AdminHttp.of(server, "admin", PASSWORD);
            long before = System.currentTimeMillis();
            assertEquals("STORED", memcache.set("jobs", 7, "first".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("STORED", memcache.set("jobs", 7, "second".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("STORED", memcache.set("jobs", 7, "third".getBytes(StandardCharsets.US_ASCII)));
            byte[] binary = {0, '\r', '\n', (byte) 0xFF, '"', '<', 'b', '>', '\\'};
            assertEquals("STORED", memcache.set("a/b", 1, binary));
            long after = System.currentTimeMillis();
            assertEquals("first", memcache.getText("jobs"));

            HttpResponse<String> list = admin.get("/api/queues");
            assertEquals(200, list.statusCode());
            assertEquals("2", list.headers().firstValue("X-Total-Count").orElse(null));
            List<Map<String, Object>> queues = admin.array("/api/queues");
            assertEquals(List.of("a/b", "jobs"), queues.stream().map(q -> q.get("name")).toList(), "by name");
            Map<String, Object> jobs = queues.get(1);
            assertEquals(2, AdminHttp.number(jobs, "messages"));
            assertEquals("second".length() + "third".length(), AdminHttp.number(jobs, "bytes"));
            assertEquals(3, AdminHttp.number(jobs, "enqueued"));
            assertEquals(1, AdminHttp.number(jobs, "dequeued"));
            assertTrue(AdminHttp.number(jobs, "oldestAgeMs") >= 0);
            assertEquals(jobs.get("name"), admin.object("/api/queues/jobs").get("name"));

            List<Map<String, Object>> first = admin.array("/api/queues/jobs/messages?limit=1");
            assertEquals(1, first.size());
            assertEquals("second", first.get(0).get("preview"));
            assertEquals(6, AdminHttp.number(first.get(0), "size"));
            assertEquals(7, AdminHttp.number(first.get(0), "flags"));
            long storedAt = AdminHttp.number(first.get(0), "storedAt");
            assertTrue(storedAt >= before && storedAt <= after, "stored between " + before + " and " + after + ": " + storedAt);
            assertEquals(2, admin.array("/api/queues/jobs/messages").size(), "looking takes nothing");

            List<Map<String, Object>> slashed = admin.array("/api/queues/a%2Fb/messages");
            assertEquals("\\x00\\x0d\\x0a\\xff\"<b>\\x5c", slashed.get(0).get("preview"), "every byte shown safely");
            assertEquals(List.of("a/b"), admin.array("/api/queues?search=A%2F").stream().map(q -> q.get("name")).toList());
            assertEquals(List.of("jobs"), admin.array("/api/queues?offset=1&limit=1").stream().map(q -> q.get("name")).toList());
            assertEquals(404, admin.get("/api/queues/nothing-here").statusCode());
            assertEquals(404, admin.get("/api/queues/nothing-here/messages").statusCode());

            assertEquals("STORED", memcache.set("jobs", "fourth"));
            assertEquals(204, admin.delete("/api/queues/jobs/messages").statusCode());
            assertNull(memcache.get("jobs"), "purged for memcache clients too");
            assertEquals(0, AdminHttp.number(admin.object("/api/queues/jobs"), "messages"), "the queue stays, empty");
            assertEquals(204, admin.delete("/api/queues/a%2Fb").statusCode());
            assertEquals(404, admin.get("/api/queues/a%2Fb").statusCode());
            assertNull(memcache.get("a/b"));
            assertEquals(404, admin.delete("/api/queues/a%2Fb").statusCode());

            assertMetrics(server, memcache);
            assertImportsFromARunningServer(admin, memcache);
            assertRefusedWithoutTheRightCredentials(server);
            assertHttpsWithTheConfiguredKeystore(server);
            try (Stream<Path> incidents = Files.list(server.serverDir().resolve("logs")).filter(p -> p.endsWith("ffdc"))
                    .flatMap(AdminApiIT::files)) {
                assertEquals(List.of(), incidents.toList(), "no FFDC incident, not even for the files not found");
            }
            assertFalse(server.messagesLog().contains(" E "), "no error in messages.log");
        }
    }

    /**
     * The shared test server stands for a running MemcacheQ or Kestrel with a backlog: its messages
     * come over in order, with their flags, and leave it; a second import finds nothing more; a source
     * that does not answer is reported as failed.
     */
    private static void assertImportsFromARunningServer(AdminHttp admin, MemcacheClient memcache) throws Exception {
        LibertyServer source = SharedServer.server();
        try (MemcacheClient there = source.client()) {
            for (int i = 0; i < 50; i++) {
                assertEquals("STORED", there.set("import-a", i, ("a" + i).getBytes(StandardCharsets.US_ASCII)));
            }
            assertEquals("STORED", there.set("import-b", "b0"));
            assertEquals("STORED", there.set("import-untouched", "stays"));
            String request = "{\"source\":\"127.0.0.1:" + source.port() + "\",\"queues\":[\"import-a\",\"import-b\"]}";
            HttpResponse<String> started = admin.post("/api/imports", request);
            assertEquals(202, started.statusCode(), started.body());
            long id = AdminHttp.number(AdminHttp.parse(started.body()), "id");
            assertTrue(Eventually.holds(Duration.ofSeconds(60),
                    () -> !"running".equals(admin.object("/api/imports/" + id).get("state"))), "the import ends");
            Map<String, Object> done = admin.object("/api/imports/" + id);
            assertEquals("done", done.get("state"), done.toString());
            assertEquals(51, AdminHttp.number(done, "total"));
            assertEquals(Boolean.TRUE, done.get("reliable"), "an mcq source is read with /open and /close/open");
            for (int i = 0; i < 50; i++) {
                MemcacheClient.Item item = memcache.get("import-a");
                assertEquals("a" + i, item.text(), "in order");
                assertEquals(i, item.flags(), "with its flags");
            }
            assertEquals("b0", memcache.getText("import-b"));
            assertNull(there.get("import-a"), "moved, not copied");
            assertEquals("stays", there.getText("import-untouched"), "a queue not named stays where it is");

            int closed = LibertyServer.freePort();
            HttpResponse<String> nowhere = admin.post("/api/imports", "{\"source\":\"127.0.0.1:" + closed + "\"}");
            long failedId = AdminHttp.number(AdminHttp.parse(nowhere.body()), "id");
            assertTrue(Eventually.holds(Duration.ofSeconds(60),
                    () -> "failed".equals(admin.object("/api/imports/" + failedId).get("state"))), "a source that is not there");
            assertTrue(String.valueOf(admin.object("/api/imports/" + failedId).get("failure")).contains("refused"),
                    admin.object("/api/imports/" + failedId).toString());
            assertEquals(400, admin.post("/api/imports", "{\"source\":\"no port\"}").statusCode());
            assertEquals(2, admin.array("/api/imports").size(), "both listed");
        }
    }

    private static void assertMetrics(LibertyServer server, MemcacheClient memcache) throws Exception {
        AdminHttp anyone = AdminHttp.of(server, null, null);
        assertEquals("STORED", memcache.set("metered", "x"));
        assertEquals("STORED", memcache.set("metered", "yz"));
        // the per-queue figures come from a snapshot at most a second old: poll until it shows them
        String metrics = awaitMetrics(anyone, text -> text.contains("mcq_queue_messages{mp_scope=\"application\",queue=\"metered\",} 2.0"));
        assertTrue(metrics.contains("mcq_queue_bytes{mp_scope=\"application\",queue=\"metered\",} 3.0"), metrics);
        assertTrue(metrics.contains("mcq_queue_enqueued_total{mp_scope=\"application\",queue=\"metered\",} 2.0"), metrics);
        assertTrue(metrics.contains("mcq_queue_open_reads{mp_scope=\"application\",queue=\"metered\",} 0.0"), metrics);
        assertTrue(metrics.contains("mcq_connections{mp_scope=\"application\",} "), metrics);
        assertTrue(metrics.contains("mcq_commands_total{mp_scope=\"application\",verb=\"set\",} "), metrics);
        assertTrue(metrics.contains("mcq_commit_batch_size_count{mp_scope=\"application\",}"), metrics);
        assertTrue(metrics.contains("mcq_forced_write_duration_seconds_count{mp_scope=\"application\",}"), metrics);
        assertTrue(!metrics.contains("queue=\"a/b\""), "a deleted queue's series are gone");
        assertEquals("DELETED", memcache.call("delete metered"));
        awaitMetrics(anyone, text -> !text.contains("queue=\"metered\""));
    }

    private static String awaitMetrics(AdminHttp http, Predicate<String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.get("/metrics");
            assertEquals(200, response.statusCode(), "metrics need no credentials by default");
            text = response.body();
            if (expected.test(text)) {
                return text;
            }
            Thread.sleep(200); // between polls of an observable condition
        }
        throw new AssertionError("metrics never showed what was expected:\n" + text);
    }

    private static void assertRefusedWithoutTheRightCredentials(LibertyServer server) throws Exception {
        for (AdminHttp caller : List.of(AdminHttp.of(server, null, null), AdminHttp.of(server, "admin", "wrong"),
                AdminHttp.of(server, "someone", PASSWORD))) {
            for (String path : List.of("/api/queues", "/", "/index.html", "/api/server")) {
                HttpResponse<String> response = caller.get(path);
                assertEquals(401, response.statusCode(), path);
                assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"), path);
            }
            assertEquals(401, caller.delete("/api/queues/jobs").statusCode());
        }
        AdminHttp admin = AdminHttp.of(server, "admin", PASSWORD);
        assertEquals(200, admin.get("/").statusCode(), "the dashboard");
        assertTrue(admin.get("/").body().contains("mcq dashboard"));
        assertEquals(200, admin.get("/webjars/chart.js/4.5.1/dist/chart.umd.min.js").statusCode(), "Chart.js, served here");
        assertEquals(404, admin.get("/favicon.ico").statusCode());
        assertEquals(404, admin.get("/no/such/file.txt").statusCode());
        assertEquals(404, admin.get("/WEB-INF/web.xml").statusCode());
    }

    private static void assertHttpsWithTheConfiguredKeystore(LibertyServer server) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(server.security("key.p12"))) {
            // the password the server made for itself at its first start: fails unless it made the keystore
            keys.load(in, Files.readString(server.security("key.p12.password")).toCharArray());
        }
        HttpClient https = LibertyServer.httpsClient(keys);
        String credentials = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = https.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + server.httpsPort() + "/api/queues"))
                .header("Authorization", "Basic " + credentials).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    private static Stream<Path> files(Path directory) {
        try {
            return Files.list(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void withoutAnAdminPasswordTheApiRefusesAndSaysHowWhileTheRestWorks() throws Exception {
        try (LibertyServer server = LibertyServer.start("admin-none", Map.of());
             MemcacheClient memcache = server.client()) {
            for (AdminHttp caller : List.of(AdminHttp.of(server, null, null), AdminHttp.of(server, "admin", ""),
                    AdminHttp.of(server, "admin", "admin"))) {
                for (String path : List.of("/api/queues", "/")) {
                    HttpResponse<String> response = caller.get(path);
                    assertEquals(503, response.statusCode(), path);
                    assertTrue(response.body().contains("MCQ_ADMIN_PASSWORD"), response.body());
                }
            }
            assertEquals("STORED", memcache.set("still", "works"));
            assertEquals("works", memcache.getText("still"));
            assertEquals(200, server.health("ready"));
            assertEquals(200, AdminHttp.of(server, null, null).get("/metrics").statusCode());
        }
    }
}
