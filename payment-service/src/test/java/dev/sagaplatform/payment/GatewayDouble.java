package dev.sagaplatform.payment;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server speaking the payment-gateway's charge/refund protocol (idempotency keys,
 * voiding), small enough to fail on demand. The end-to-end suite runs the real payment-gateway.
 */
final class GatewayDouble implements AutoCloseable {

    final Map<String, BigDecimal> charges = new ConcurrentHashMap<>();
    final Map<String, BigDecimal> refunds = new ConcurrentHashMap<>();
    final Map<String, Boolean> voided = new ConcurrentHashMap<>();
    final AtomicInteger chargeCalls = new AtomicInteger();
    /** Charges answered 503 after being taken: the worst real-world case. */
    volatile boolean failChargesAfterProcessing;
    /** How many more refunds (and voids) to answer 503 after processing them. */
    final AtomicInteger refundsToFailAfterProcessing = new AtomicInteger();
    final AtomicInteger refundCalls = new AtomicInteger();
    /** Refunds (and voids) answered 422 unprocessed, as a processor refuses a refund it will not make. */
    volatile boolean refuseRefunds;

    private final HttpServer server;
    private final JsonMapper json = JsonMapper.builder().build();

    GatewayDouble() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/charges", this::charge);
        server.createContext("/refunds", this::refund);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void reset() {
        charges.clear();
        refunds.clear();
        voided.clear();
        chargeCalls.set(0);
        refundCalls.set(0);
        failChargesAfterProcessing = false;
        refundsToFailAfterProcessing.set(0);
        refuseRefunds = false;
    }

    private void charge(HttpExchange exchange) throws IOException {
        chargeCalls.incrementAndGet();
        JsonNode body = json.readTree(exchange.getRequestBody());
        String key = body.get("idempotencyKey").asString();
        if (voided.containsKey(key)) {
            respond(exchange, 409, "{\"type\":\"https://saga-platform.dev/problems/charge-voided\"}");
            return;
        }
        charges.putIfAbsent(key, body.get("amount").decimalValue());
        if (failChargesAfterProcessing) {
            respond(exchange, 503, "{}");
            return;
        }
        respond(exchange, 201, "{\"chargeId\":\"" + UUID.nameUUIDFromBytes(key.getBytes()) + "\",\"status\":\"CAPTURED\"}");
    }

    private void refund(HttpExchange exchange) throws IOException {
        refundCalls.incrementAndGet();
        JsonNode body = json.readTree(exchange.getRequestBody());
        String chargeKey = body.get("chargeIdempotencyKey").asString();
        if (refuseRefunds) {
            respond(exchange, 422, "{\"type\":\"https://saga-platform.dev/problems/refund-refused\"}");
            return;
        }
        boolean failAfterProcessing = refundsToFailAfterProcessing.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        if (!charges.containsKey(chargeKey)) {
            voided.put(chargeKey, true);
            respond(exchange, failAfterProcessing ? 503 : 200, "{\"status\":\"VOIDED\"}");
            return;
        }
        refunds.putIfAbsent(body.get("idempotencyKey").asString(), body.get("amount").decimalValue());
        respond(exchange, failAfterProcessing ? 503 : 201, "{\"status\":\"REFUNDED\"}");
    }

    /** Net money the gateway holds for an order: charged minus refunded. */
    BigDecimal netCharged(UUID orderId) {
        BigDecimal charged = charges.getOrDefault("charge-" + orderId, BigDecimal.ZERO);
        return charged.subtract(refunds.getOrDefault("refund-" + orderId, BigDecimal.ZERO));
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
