package dev.sagaplatform.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP against the running gateway, the way payment-service and the chaos tooling call it. */
final class GatewayClient {

    static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final String baseUrl;
    private final String adminAuthorization;
    private final String merchantAuthorization;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    GatewayClient(int port, String adminUser, String adminPassword, String merchantKey) {
        this.baseUrl = "http://localhost:" + port;
        this.adminAuthorization = basic(adminUser, adminPassword);
        this.merchantAuthorization = "Bearer " + merchantKey;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> post(String path, String json) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json").build());
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    HttpResponse<String> admin(String method, String path, String json) {
        return send(adminRequest(method, path, json).setHeader("Authorization", adminAuthorization).build());
    }

    HttpRequest.Builder adminRequest(String method, String path, String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        HttpRequest.Builder builder = request(path).method(method, body);
        return json == null ? builder : builder.header("Content-Type", "application/json");
    }

    HttpResponse<String> putFaults(String json) {
        HttpResponse<String> response = admin("PUT", "/admin/faults", json);
        if (response.statusCode() != 200) {
            throw new AssertionError("PUT /admin/faults " + json + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, String json, Duration timeout) {
        HttpRequest request = request(path).timeout(timeout).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Charges and refunds carry the merchant key, as payment-service sends it; {@link #anonymous} does not. */
    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = anonymous(path);
        return path.startsWith("/charges") || path.startsWith("/refunds") ? builder.header("Authorization", merchantAuthorization) : builder;
    }

    HttpRequest.Builder anonymous(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Throws what the client saw, so a test can assert on a dropped connection. */
    HttpResponse<String> sendRaw(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode body(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    static String chargeJson(String key, String orderId, String customerId, String amount) {
        return "{\"idempotencyKey\":\"" + key + "\",\"orderId\":\"" + orderId + "\",\"customerId\":\"" + customerId
                + "\",\"amount\":" + amount + "}";
    }

    static String refundJson(String key, String chargeKey, String amount) {
        return "{\"idempotencyKey\":\"" + key + "\",\"chargeIdempotencyKey\":\"" + chargeKey + "\",\"amount\":" + amount + "}";
    }
}
