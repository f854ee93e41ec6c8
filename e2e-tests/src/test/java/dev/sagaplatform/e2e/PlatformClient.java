package dev.sagaplatform.e2e;

import static org.awaitility.Awaitility.await;

import dev.sagaplatform.e2e.ApplicationUnderTest.Service;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a user does with curl, in Java: place orders, read orders, customers, products and charges. */
final class PlatformClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final ApplicationUnderTest app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    PlatformClient(ApplicationUnderTest app) {
        this.app = app;
    }

    record Response(int status, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** {@code POST /orders} with a JSON body built from the arguments. */
    Response placeOrder(String idempotencyKey, String customerId, Map<String, Integer> lines, String flow) {
        var body = JSON.createObjectNode();
        body.put("customerId", customerId);
        var items = body.putArray("items");
        lines.forEach((sku, quantity) -> items.addObject().put("sku", sku).put("quantity", quantity));
        if (flow != null) {
            body.put("flow", flow);
        }
        return post(Service.ORDER, "/orders", JSON.writeValueAsString(body), "application/json", idempotencyKey);
    }

    Response post(Service service, String path, String body, String contentType, String idempotencyKey) {
        var request = HttpRequest.newBuilder(app.url(service).resolve(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    /** A read; the gateway's charges and refunds are read as the merchant, with its key, as payment-service would. */
    Response get(Service service, String path) {
        var request = HttpRequest.newBuilder(app.url(service).resolve(path)).timeout(Duration.ofSeconds(30)).GET();
        if (service == Service.GATEWAY && (path.startsWith("/charges") || path.startsWith("/refunds"))) {
            request.header("Authorization", "Bearer " + app.gatewayApiKey());
        }
        return send(request.build());
    }

    Response adminPut(Service service, String path, String body) {
        return send(asAdmin(service, path).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Response adminPost(Service service, String path) {
        return send(asAdmin(service, path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    Response adminPost(Service service, String path, String body) {
        return send(asAdmin(service, path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Response adminDelete(Service service, String path) {
        return send(asAdmin(service, path).DELETE().build());
    }

    Response adminGet(Service service, String path) {
        return send(asAdmin(service, path).GET().build());
    }

    private HttpRequest.Builder asAdmin(Service service, String path) {
        String credentials = Base64.getEncoder().encodeToString((app.adminUser() + ":" + app.adminPassword()).getBytes());
        return HttpRequest.newBuilder(app.url(service).resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + credentials).header("Content-Type", "application/json");
    }

    /** The saga of an orchestrated order, once the orchestrator has started it. */
    JsonNode sagaOf(UUID orderId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(Service.ORCHESTRATOR, "/sagas?orderId=" + orderId).json().path("content").size() == 1);
        String sagaId = get(Service.ORCHESTRATOR, "/sagas?orderId=" + orderId).json().path("content").get(0)
                .path("sagaId").asString();
        return get(Service.ORCHESTRATOR, "/sagas/" + sagaId).json();
    }

    JsonNode order(UUID orderId) {
        return get(Service.ORDER, "/orders/" + orderId).json();
    }

    /** Waits until the saga of {@code orderId} has finished, and returns the order. */
    JsonNode awaitTerminal(UUID orderId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> !"PENDING".equals(order(orderId).path("status").asString()));
        return order(orderId);
    }

    JsonNode customer(String customerId) {
        return get(Service.PAYMENT, "/customers/" + customerId).json();
    }

    JsonNode product(String sku) {
        return get(Service.INVENTORY, "/products/" + sku).json();
    }

    /** Every element of a paged list endpoint, following pages of 500. */
    List<JsonNode> all(Service service, String path) {
        List<JsonNode> content = new ArrayList<>();
        String separator = path.contains("?") ? "&" : "?";
        for (int page = 0; ; page++) {
            Response response = get(service, path + separator + "size=500&page=" + page);
            if (response.status() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.status() + ": " + response.body());
            }
            JsonNode json = response.json();
            json.path("content").forEach(content::add);
            if (page + 1 >= json.path("page").path("totalPages").asInt()) {
                return content;
            }
        }
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static URI uri(String value) {
        return URI.create(value);
    }
}
