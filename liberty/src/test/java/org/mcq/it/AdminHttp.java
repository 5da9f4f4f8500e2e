package org.mcq.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.json.Json;

/** The server's HTTP side as a client sees it: the admin API with or without credentials, and /metrics. */
final class AdminHttp {

    private static final Json JSON = new Json();

    private final HttpClient http;
    private final String base;
    private final String authorization;

    AdminHttp(HttpClient http, String base, String user, String password) {
        this.http = http;
        this.base = base;
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static AdminHttp of(LibertyServer server, String user, String password) {
        return new AdminHttp(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                "http://127.0.0.1:" + server.httpPort(), user, password);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(builder(path).GET());
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return send(builder(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(builder(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(builder(path).DELETE());
    }

    /** GET of a path that answers a JSON array of objects; fails unless 200. */
    List<Map<String, Object>> array(String path) throws IOException, InterruptedException {
        return JSON.toType(ok(path), Json.LIST_OF_MAPS_TYPE);
    }

    /** GET of a path that answers a JSON object; fails unless 200. */
    Map<String, Object> object(String path) throws IOException, InterruptedException {
        return JSON.toType(ok(path), Json.MAP_TYPE);
    }

    private String ok(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Object> parse(String json) {
        return JSON.toType(json, Json.MAP_TYPE);
    }

    static long number(Map<String, Object> object, String field) {
        return ((Number) object.get(field)).longValue();
    }
}
