package dev.sagaplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.e2e.ApplicationUnderTest.Service;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * No choreographed order is stranded: whatever a participant gave up on (dead-lettered), the order reaches a
 * terminal state by its deadline and every participant compensates; a refund the processor refuses is kept and
 * retried apart from the saga until its cause is fixed. After each test the invariants hold: money and stock
 * conserved, every service agreeing on the outcome.
 */
class StrandedOrdersTest extends EndToEndTest {

    /** Deadline, then dead-lettering of the compensation (5 retries) and slack for two busy cores. */
    private static final Duration PAST_DEADLINE = EmbeddedPlatform.CHOREOGRAPHY_DEADLINE.plusSeconds(40);

    @BeforeAll
    static void needsTheEmbeddedPlatformsSettings() {
        if (!(app instanceof EmbeddedPlatform)) {
            throw new org.opentest4j.TestAbortedException("needs the embedded platform's short choreography deadline"
                    + " and inventory.testing.failing-sku (EmbeddedPlatform)");
        }
    }

    @Test
    void aRefundTheGatewayRefusesNeitherStrandsTheOrderNorHoldsThePaymentsAndGoesThroughOnceFixed() {
        String sku = ChoreographedSagaTest.newProduct("4.00", 0);
        BigDecimal spentBefore = spent("carol");
        client.adminPut(Service.GATEWAY, "/admin/faults", "{\"refuseRefunds\":true}");
        UUID orderId;
        try {
            orderId = place("carol", Map.of(sku, 1));

            // Out of stock, so payment-service refunds: the credit at once, the gateway refund from gateway_return,
            // where the refusal waits for an operator without holding the order, the partition or other payments.
            JsonNode order = client.awaitTerminal(orderId);
            assertThat(order.path("status").asString()).isEqualTo("REJECTED");
            assertThat(order.path("reason").asString()).isEqualTo("OUT_OF_STOCK");
            assertThat(client.get(Service.PAYMENT, "/payments/" + orderId).json().path("status").asString()).isEqualTo("REFUNDED");
            assertThat(spent("carol")).isEqualByComparingTo(spentBefore);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> metric(Service.PAYMENT, "payments_gateway_returns_total{outcome=\"refused\"") > 0);
            assertThat(netCharged(orderId)).isEqualByComparingTo("4.00");
            UUID next = place("alice", Map.of("SKU-APPLE", 1));
            assertThat(client.awaitTerminal(next).path("status").asString()).isEqualTo("APPROVED");
        } finally {
            client.adminPut(Service.GATEWAY, "/admin/faults", "{\"refuseRefunds\":false}");
        }

        // The cause is fixed at the processor: the next retry goes through and the order nets zero there too.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> netCharged(orderId).signum() == 0);
    }

    @Test
    void anUnreadableOrderCreatedIsDeadLetteredAndTheOrderEndsTimedOutWithItsKeyVoided() {
        BigDecimal spentBefore = spent("alice");
        long reservedBefore = client.product("SKU-APPLE").path("reserved").asLong();
        // A producer bug: order-service's transaction wrote an OrderCreated no consumer can read (no items, total, flow).
        UUID orderId = UUID.randomUUID();
        writeOrderWithUnreadableOrderCreated(orderId, "alice", "SKU-APPLE", 1, new BigDecimal("1.50"));

        awaitDeadLetters(Service.PAYMENT, orderId, List.of("OrderCreated"));
        JsonNode order = awaitTerminalPastDeadline(orderId);

        assertThat(order.path("status").asString()).isEqualTo("REJECTED");
        assertThat(order.path("reason").asString()).isEqualTo("TIMED_OUT");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                "VOIDED".equals(client.get(Service.PAYMENT, "/payments/" + orderId).json().path("status").asString()));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                "RELEASED".equals(client.get(Service.INVENTORY, "/reservations/" + orderId).json().path("status").asString()));
        assertThat(spent("alice")).isEqualByComparingTo(spentBefore);
        assertThat(client.product("SKU-APPLE").path("reserved").asLong()).isEqualTo(reservedBefore);
    }

    @Test
    void aHandlerBugDeadLettersTheReservationTheOrderEndsTimedOutAndThePaymentIsRefunded() {
        String sku = handlerBugProduct();
        BigDecimal spentBefore = spent("alice");
        long availableBefore = client.product(sku).path("available").asLong();

        UUID orderId = place("alice", Map.of(sku, 1));

        awaitDeadLetters(Service.INVENTORY, orderId, List.of("PaymentAuthorized"));
        JsonNode order = awaitTerminalPastDeadline(orderId);
        assertThat(order.path("status").asString()).isEqualTo("REJECTED");
        assertThat(order.path("reason").asString()).isEqualTo("TIMED_OUT");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                "REFUNDED".equals(client.get(Service.PAYMENT, "/payments/" + orderId).json().path("status").asString()));
        await().atMost(Duration.ofSeconds(30)).until(() -> spent("alice").compareTo(spentBefore) == 0);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                "RELEASED".equals(client.get(Service.INVENTORY, "/reservations/" + orderId).json().path("status").asString()));
        assertThat(client.product(sku).path("available").asLong()).isEqualTo(availableBefore);
        assertThat(client.product(sku).path("reserved").asLong()).isZero();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static UUID place(String customerId, Map<String, Integer> lines) {
        var response = client.placeOrder(UUID.randomUUID().toString(), customerId, lines, "CHOREOGRAPHY");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return UUID.fromString(response.json().path("orderId").asString());
    }

    private static JsonNode awaitTerminalPastDeadline(UUID orderId) {
        await().atMost(PAST_DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(() -> !"PENDING".equals(client.order(orderId).path("status").asString()));
        return client.order(orderId);
    }

    /** Waits until {@code service}'s admin API lists a dead letter of each type for the order; returns their coordinates. */
    private static List<String> awaitDeadLetters(Service service, UUID orderId, List<String> eventTypes) {
        List<String> records = new ArrayList<>();
        await().atMost(PAST_DEADLINE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            var response = client.adminGet(service, "/admin/dead-letters");
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            records.clear();
            List<String> types = new ArrayList<>();
            for (JsonNode deadLetter : response.json().path("deadLetters")) {
                if (orderId.toString().equals(deadLetter.path("key").asString())) {
                    records.add(deadLetter.path("record").asString());
                    types.add(deadLetter.path("eventType").asString());
                }
            }
            return types.containsAll(eventTypes);
        });
        return List.copyOf(records);
    }

    /** What the gateway holds for the order: charged minus refunded. */
    private static BigDecimal netCharged(UUID orderId) {
        BigDecimal net = BigDecimal.ZERO;
        for (JsonNode charge : client.get(Service.GATEWAY, "/charges?orderId=" + orderId).json().path("content")) {
            net = net.add(charge.path("amount").decimalValue()).subtract(charge.path("refundedAmount").decimalValue());
        }
        return net;
    }

    /** Sum of a Prometheus series' samples whose line starts with {@code prefix} (name and first labels). */
    private static double metric(Service service, String prefix) {
        double sum = 0;
        for (String line : client.get(service, "/actuator/prometheus").body().split("\n")) {
            if (line.startsWith(prefix)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static BigDecimal spent(String customerId) {
        JsonNode customer = client.customer(customerId);
        return customer.path("creditLimit").decimalValue().subtract(customer.path("availableCredit").decimalValue());
    }

    /** The SKU inventory-service's test-only handler bug fails on, created once with plenty of stock. */
    private static String handlerBugProduct() {
        execute(Service.INVENTORY, "insert into products (sku, name, price, available, reserved) values ('"
                + EmbeddedPlatform.HANDLER_BUG_SKU + "', 'handler bug', 2.00, 100, 0) on conflict (sku) do nothing");
        return EmbeddedPlatform.HANDLER_BUG_SKU;
    }

    /**
     * What order-service's placement writes in one transaction (order, line, completed Idempotency-Key, outbox row),
     * except that the event's payload is unreadable.
     */
    private static void writeOrderWithUnreadableOrderCreated(UUID orderId, String customerId, String sku, int quantity,
                                                             BigDecimal unitPrice) {
        BigDecimal total = unitPrice.multiply(BigDecimal.valueOf(quantity));
        try (Connection connection = app.database(Service.ORDER).getConnection()) {
            connection.setAutoCommit(false);
            try (var order = connection.prepareStatement("insert into orders (id, customer_id, status, flow, total, created_at,"
                    + " updated_at) values (?, ?, 'PENDING', 'CHOREOGRAPHY', ?, now(), now())");
                 var line = connection.prepareStatement("insert into order_line (order_id, line_no, sku, quantity, unit_price,"
                         + " line_total) values (?, 0, ?, ?, ?, ?)");
                 var key = connection.prepareStatement("insert into idempotency_key (idempotency_key, fingerprint, state,"
                         + " response_status, response_body, order_id, created_at, expires_at) values (?, repeat('0', 64),"
                         + " 'COMPLETED', 202, ?, ?, now(), now() + interval '1 day')");
                 var outbox = connection.prepareStatement("insert into outbox (id, aggregatetype, aggregateid, type, schema_version,"
                         + " payload) values (?, ?, ?, 'OrderCreated', 1, cast(? as jsonb))")) {
                order.setObject(1, orderId);
                order.setString(2, customerId);
                order.setBigDecimal(3, total);
                order.executeUpdate();
                line.setObject(1, orderId);
                line.setString(2, sku);
                line.setInt(3, quantity);
                line.setBigDecimal(4, unitPrice);
                line.setBigDecimal(5, total);
                line.executeUpdate();
                key.setString(1, "e2e-unreadable-" + orderId);
                key.setString(2, "{\"orderId\":\"" + orderId + "\"}");
                key.setObject(3, orderId);
                key.executeUpdate();
                outbox.setObject(1, UUID.randomUUID());
                outbox.setString(2, AggregateTypes.ORDER);
                outbox.setString(3, orderId.toString());
                outbox.setString(4, "{\"orderId\":\"" + orderId + "\",\"customerId\":\"" + customerId + "\"}");
                outbox.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(Service service, String sql) {
        try (Connection connection = app.database(service).getConnection(); var statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
