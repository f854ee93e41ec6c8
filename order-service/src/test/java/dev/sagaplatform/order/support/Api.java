package dev.sagaplatform.order.support;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Raw HTTP against the running service, so that tests control every header and byte of a request. */
public final class Api {

    public static final String JSON = "application/json";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String baseUrl;

    public Api(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    /** A POST /orders; {@code key} or {@code contentType} {@code null} leaves that header out. */
    public Response placeOrder(String key, String contentType, String body) {
        return send(postRequest(key, contentType, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    public CompletableFuture<Response> placeOrderAsync(String key, String body) {
        return http.sendAsync(postRequest(key, JSON, HttpRequest.BodyPublishers.ofString(body)),
                HttpResponse.BodyHandlers.ofString()).thenApply(Response::new);
    }

    /** Streams the body without a Content-Length (chunked), as a client that does not know the size would. */
    public Response placeOrderChunked(String key, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return send(postRequest(key, JSON, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
    }

    public Response get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    public Response get(String pathAndQuery, String header, String value) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(30))
                .header(header, value).GET().build());
    }

    public Response send(String method, String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpRequest postRequest(String key, String contentType, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/orders"))
                .timeout(Duration.ofSeconds(30))
                .POST(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return request.build();
    }

    private Response send(HttpRequest request) {
        try {
            return new Response(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (Exception e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        }
    }

    public static JsonNode json(String text) {
        return MAPPER.readTree(text);
    }

    public record Response(HttpResponse<String> raw) {

        public int status() {
            return raw.statusCode();
        }

        public String body() {
            return raw.body();
        }

        public JsonNode json() {
            return Api.json(raw.body());
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** The problem {@code type} without the common prefix, e.g. {@code unknown-sku}. */
        public String problemType() {
            return json().path("type").asString().replace("https://saga-platform.dev/problems/", "");
        }

        @Override
        public String toString() {
            return status() + " " + raw.headers().map() + " " + body();
        }
    }
}
