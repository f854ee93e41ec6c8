package dev.sagaplatform.cli.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Creates or tops up the load's customers and products through the services' admin API
 * ({@code PUT /customers/{id}}, {@code PUT /products/{sku}}), never by writing into their tables, so
 * that a load run cannot fail for lack of credit or stock and the business invariants keep holding.
 * Topping up keeps what earlier runs used: a customer's new limit is its credit in use plus
 * {@link #HEADROOM}; a product's new stock on hand is its reserved stock plus {@link #HEADROOM}.
 */
public final class LoadFixtures {

    static final long HEADROOM = 1_000_000;
    static final BigDecimal PRICE = new BigDecimal("1.00");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoadTarget target;
    private final HttpClient http;

    public LoadFixtures(LoadTarget target, HttpClient http) {
        this.target = target;
        this.http = http;
    }

    public void prepare(LoadSpec spec) {
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int customer = 0; customer < spec.customers(); customer++) {
                String id = LoadSpec.customerId(customer);
                puts.add(workers.submit(() -> topUpCustomer(id)));
            }
            for (int sku = 0; sku < spec.skus(); sku++) {
                String id = LoadSpec.sku(sku);
                puts.add(workers.submit(() -> restockProduct(id)));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LoadException load ? load : new LoadException("preparing the load failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException("interrupted");
        } finally {
            workers.shutdownNow();
        }
    }

    private void topUpCustomer(String customerId) {
        URI uri = target.payments().resolve("/customers/" + customerId);
        JsonNode existing = getIfPresent(uri);
        BigDecimal inUse = existing == null ? BigDecimal.ZERO
                : existing.path("creditLimit").decimalValue().subtract(existing.path("availableCredit").decimalValue());
        put(uri, JSON.createObjectNode().put("creditLimit", inUse.add(BigDecimal.valueOf(HEADROOM)))
                .put("name", "Load customer " + customerId));
    }

    private void restockProduct(String sku) {
        URI uri = target.inventory().resolve("/products/" + sku);
        JsonNode existing = getIfPresent(uri);
        long reserved = existing == null ? 0 : existing.path("reserved").asLong();
        put(uri, JSON.createObjectNode().put("price", PRICE).put("onHand", reserved + HEADROOM).put("name", "Load product " + sku));
    }

    private JsonNode getIfPresent(URI uri) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new LoadException("GET " + uri + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return read(response.body());
    }

    private void put(URI uri, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (target.adminUser() != null && target.adminPassword() != null) {
            String basic = target.adminUser() + ":" + target.adminPassword();
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = send(request.build());
        switch (response.statusCode()) {
            case 200, 201 -> { }
            case 401, 403 -> throw new LoadException("PUT " + uri + " refused the admin credentials (HTTP " + response.statusCode()
                    + "): set PLATFORM_ADMIN_USER / PLATFORM_ADMIN_PASSWORD to the platform's, or run from the folder ./platform up used.");
            case 404, 405 -> throw new LoadException("PUT " + uri + " answered HTTP " + response.statusCode()
                    + ": this platform has no admin API to create load customers and products (build it again: ./mvnw -B install -DskipTests).");
            default -> throw new LoadException("PUT " + uri + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LoadException("No answer from " + request.uri() + " (" + e.getClass().getSimpleName()
                    + "). Is the platform running? ./platform status shows it.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException("interrupted");
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new LoadException("not JSON: " + body);
        }
    }
}
