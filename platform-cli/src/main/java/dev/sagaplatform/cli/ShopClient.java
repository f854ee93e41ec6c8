package dev.sagaplatform.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The shop's public REST API as the CLI uses it: place an order, read orders, customers and products.
 * <p>
 * With several order-service instances it spreads its requests over them: it starts at a random one (each
 * {@code ./platform order} is a process of its own, so successive commands land on different instances) and goes
 * round robin from there. Every instance reads the same database, so any of them answers for any order. An instance
 * that refuses the connection (killed, not started yet) is skipped and the next one tried: the request never reached
 * it, so nothing happened there. A request that reached an instance and got no answer is not sent again elsewhere.
 */
final class ShopClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final List<URI> orders;
    private final URI payments;
    private final URI inventory;
    private final AtomicInteger next;

    ShopClient(URI orders, URI payments, URI inventory) {
        this(List.of(orders), payments, inventory);
    }

    /** The local platform's shop: every order-service instance, and the first payment-service and inventory-service. */
    static ShopClient local(Map<Component, Integer> ports, Replicas replicas) {
        return new ShopClient(replicas.instances(Component.ORDER).stream().map(instance -> URI.create("http://localhost:"
                + instance.port(ports))).toList(), URI.create("http://localhost:" + ports.get(Component.PAYMENT)),
                URI.create("http://localhost:" + ports.get(Component.INVENTORY)));
    }

    /** @param orders every order-service instance's base URL */
    ShopClient(List<URI> orders, URI payments, URI inventory) {
        if (orders.isEmpty()) {
            throw new IllegalArgumentException("no order-service address");
        }
        this.orders = List.copyOf(orders);
        this.payments = payments;
        this.inventory = inventory;
        this.next = new AtomicInteger(ThreadLocalRandom.current().nextInt(orders.size()));
    }

    /** Every order-service instance, starting with the one whose turn it is. */
    List<URI> orderInstancesInTurn() {
        int first = Math.floorMod(next.getAndIncrement(), orders.size());
        List<URI> inTurn = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++) {
            inTurn.add(orders.get((first + i) % orders.size()));
        }
        return inTurn;
    }

    /** An order as placed: lines are SKU → quantity, in the given order. */
    record OrderRequest(String customerId, Map<String, Integer> items, String flow) {

        String json() {
            ObjectNode body = JSON.createObjectNode();
            body.put("customerId", customerId);
            ArrayNode lines = body.putArray("items");
            items.forEach((sku, quantity) -> lines.addObject().put("sku", sku).put("quantity", quantity));
            if (flow != null) {
                body.put("flow", flow);
            }
            return body.toString();
        }

        String describe() {
            StringBuilder text = new StringBuilder();
            items.forEach((sku, quantity) -> text.append(text.length() == 0 ? "" : ", ").append(quantity).append(" x ").append(sku));
            return text.toString();
        }
    }

    /** POST /orders with a new Idempotency-Key; returns the order id. */
    String place(OrderRequest request) {
        return place(request, null);
    }

    /**
     * POST /orders with a new Idempotency-Key and, when given, a W3C {@code traceparent}: order-service continues that
     * trace, so the caller knows the trace id of the whole saga.
     */
    String place(OrderRequest request, String traceparent) {
        // One key for every try: were an instance to have taken the order after all, another would answer the same order.
        String idempotencyKey = UUID.randomUUID().toString();
        HttpResponse<String> response = toOrderService(base -> {
            HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve("/orders"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", idempotencyKey);
            if (traceparent != null) {
                builder.header("traceparent", traceparent);
            }
            return builder.POST(HttpRequest.BodyPublishers.ofString(request.json())).build();
        });
        if (response.statusCode() != 202) {
            throw new CliException("order-service refused the order (HTTP " + response.statusCode() + "): " + problem(response.body()));
        }
        return read(response.body()).path("orderId").asText();
    }

    JsonNode order(String orderId) {
        HttpResponse<String> response = toOrderService(base -> HttpRequest.newBuilder(base.resolve("/orders/" + orderId))
                .timeout(Duration.ofSeconds(10)).GET().build());
        if (response.statusCode() != 200) {
            throw new CliException("GET " + response.uri() + " answered HTTP " + response.statusCode() + ": " + problem(response.body()));
        }
        return read(response.body());
    }

    /**
     * Sends the request to the order-service instance whose turn it is, and to the next one when an instance refuses the
     * connection, until one answers or all refused.
     */
    private HttpResponse<String> toOrderService(Function<URI, HttpRequest> request) {
        List<URI> inTurn = orderInstancesInTurn();
        for (int i = 0; i < inTurn.size(); i++) {
            HttpRequest each = request.apply(inTurn.get(i));
            try {
                return http.send(each, HttpResponse.BodyHandlers.ofString());
            }
            catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException ex) {
                if (i == inTurn.size() - 1) {
                    throw noAnswer(each, ex);
                }
            }
            catch (IOException ex) {
                throw noAnswer(each, ex);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new CliException("Interrupted");
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** Polls the order until it is no longer PENDING or the timeout passes; returns its last state. */
    JsonNode awaitOutcome(String orderId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode order = order(orderId);
        while ("PENDING".equals(order.path("status").asText()) && System.nanoTime() < deadline) {
            Tools.sleep(100);
            order = order(orderId);
        }
        return order;
    }

    /** Waits until the order-service answers at all (a platform started elsewhere may still be starting). */
    void awaitAnswer(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                http.send(HttpRequest.newBuilder(orders.get(0).resolve("/actuator/health/readiness")).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            }
            catch (IOException ex) {
                if (System.nanoTime() > deadline) {
                    throw new CliException("No answer from " + orders.get(0) + " within " + timeout.toSeconds() + " s.");
                }
                Tools.sleep(1000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new CliException("Interrupted");
            }
        }
    }

    JsonNode customer(String customerId) {
        return get(payments.resolve("/customers/" + customerId));
    }

    JsonNode product(String sku) {
        return get(inventory.resolve("/products/" + sku));
    }

    private JsonNode get(URI uri) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build());
        if (response.statusCode() != 200) {
            throw new CliException("GET " + uri + " answered HTTP " + response.statusCode() + ": " + problem(response.body()));
        }
        return read(response.body());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw noAnswer(request, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CliException("Interrupted");
        }
    }

    private static CliException noAnswer(HttpRequest request, IOException ex) {
        return new CliException("No answer from " + request.uri() + " (" + ex.getClass().getSimpleName()
                + "). Is the platform running? ./platform status shows it, ./platform up starts it.");
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        }
        catch (IOException ex) {
            throw new CliException("Not JSON: " + body);
        }
    }

    /** The detail of an RFC 9457 problem, or the body as it is. */
    private static String problem(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node.hasNonNull("detail")) {
                return node.path("detail").asText();
            }
        }
        catch (IOException ex) {
            // not JSON: show it as it is
        }
        return body;
    }

    /** Parses {@code SKU=QTY} items as given on the command line. */
    static Map<String, Integer> items(java.util.List<String> specs) {
        Map<String, Integer> items = new LinkedHashMap<>();
        for (String spec : specs) {
            int equals = spec.lastIndexOf('=');
            String sku = equals < 0 ? spec : spec.substring(0, equals);
            int quantity;
            try {
                quantity = equals < 0 ? 1 : Integer.parseInt(spec.substring(equals + 1).trim());
            }
            catch (NumberFormatException ex) {
                throw new CliException("--item " + spec + ": the quantity after '=' must be a whole number, e.g. --item SKU-APPLE=2");
            }
            if (sku.isBlank()) {
                throw new CliException("--item " + spec + ": give a SKU, e.g. --item SKU-APPLE=2");
            }
            items.merge(sku.trim(), quantity, Integer::sum);
        }
        return items;
    }
}
