package dev.sagaplatform.e2e;

import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.e2e.ApplicationUnderTest.Service;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import tools.jackson.databind.JsonNode;

/**
 * The business invariants of DESIGN.md, checked against the running platform through its APIs (and
 * its databases and topics where no API tells): nothing lost, nothing doubled, money and stock balance.
 */
final class Invariants {

    static final Duration SETTLE = Duration.ofSeconds(90);

    private final ApplicationUnderTest app;
    private final PlatformClient client;

    Invariants(ApplicationUnderTest app) {
        this.app = app;
        this.client = new PlatformClient(app);
    }

    /** Waits for every saga to end, then returns every violated invariant (empty when all hold). */
    List<String> violations() {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(500))
                .until(() -> client.get(Service.ORDER, "/orders?status=PENDING&size=1").json()
                        .path("page").path("totalElements").asLong() == 0);
        List<String> violations = new ArrayList<>();
        List<JsonNode> orders = client.all(Service.ORDER, "/orders");
        checkMoney(orders, violations);
        checkGatewayCharges(orders, violations);
        checkStock(orders, violations);
        checkSagasTerminal(violations);
        checkOutboxPublished(violations);
        return violations;
    }

    /** 2. creditLimit − availableCredit = Σ totals of the customer's APPROVED orders. */
    private void checkMoney(List<JsonNode> orders, List<String> violations) {
        Map<String, BigDecimal> approvedTotals = new HashMap<>();
        for (JsonNode order : orders) {
            if ("APPROVED".equals(order.path("status").asString())) {
                approvedTotals.merge(order.path("customerId").asString(), order.path("total").decimalValue(), BigDecimal::add);
            }
        }
        for (JsonNode customer : client.all(Service.PAYMENT, "/customers")) {
            BigDecimal spent = customer.path("creditLimit").decimalValue().subtract(customer.path("availableCredit").decimalValue());
            BigDecimal approved = approvedTotals.getOrDefault(customer.path("customerId").asString(), BigDecimal.ZERO);
            if (spent.compareTo(approved) != 0) {
                violations.add("customer " + customer.path("customerId").asString() + " spent " + spent
                        + " but its APPROVED orders total " + approved);
            }
        }
    }

    /** 2. At the gateway: an APPROVED order is charged its total once, a REJECTED order nets zero. */
    private void checkGatewayCharges(List<JsonNode> orders, List<String> violations) {
        Map<String, List<JsonNode>> chargesByOrder = new HashMap<>();
        for (JsonNode charge : client.all(Service.GATEWAY, "/charges")) {
            chargesByOrder.computeIfAbsent(charge.path("orderId").asString(), k -> new ArrayList<>()).add(charge);
        }
        for (JsonNode order : orders) {
            String orderId = order.path("orderId").asString();
            List<JsonNode> charges = chargesByOrder.getOrDefault(orderId, List.of());
            if (charges.size() > 1) {
                violations.add("order " + orderId + " was charged " + charges.size() + " times at the gateway");
            }
            BigDecimal net = charges.stream()
                    .map(c -> c.path("amount").decimalValue().subtract(c.path("refundedAmount").decimalValue()))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            boolean approved = "APPROVED".equals(order.path("status").asString());
            BigDecimal expected = approved ? order.path("total").decimalValue() : BigDecimal.ZERO;
            if (net.compareTo(expected) != 0) {
                violations.add("order " + orderId + " is " + order.path("status").asString() + " but nets " + net
                        + " at the gateway (expected " + expected + ")");
            }
        }
    }

    /** 3. reserved = Σ quantities in APPROVED orders, onHand = available + reserved. */
    private void checkStock(List<JsonNode> orders, List<String> violations) {
        Map<String, Long> approvedQuantities = new HashMap<>();
        for (JsonNode order : orders) {
            if ("APPROVED".equals(order.path("status").asString())) {
                order.path("items").forEach(item ->
                        approvedQuantities.merge(item.path("sku").asString(), item.path("quantity").asLong(), Long::sum));
            }
        }
        for (JsonNode product : client.all(Service.INVENTORY, "/products")) {
            String sku = product.path("sku").asString();
            long reserved = product.path("reserved").asLong();
            if (reserved != approvedQuantities.getOrDefault(sku, 0L)) {
                violations.add("sku " + sku + " has " + reserved + " reserved but APPROVED orders hold "
                        + approvedQuantities.getOrDefault(sku, 0L));
            }
            if (product.path("onHand").asLong() != product.path("available").asLong() + reserved) {
                violations.add("sku " + sku + " onHand " + product.path("onHand").asLong() + " != available + reserved");
            }
        }
    }

    /** 1. No saga stays non-terminal; a parked (STUCK) one is reported. */
    private void checkSagasTerminal(List<String> violations) {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).until(() -> List.of("STARTED", "COMPENSATING").stream()
                .allMatch(state -> client.get(Service.ORCHESTRATOR, "/sagas?size=1&state=" + state).json()
                        .path("page").path("totalElements").asLong() == 0));
        for (JsonNode saga : client.all(Service.ORCHESTRATOR, "/sagas?state=STUCK")) {
            violations.add("saga " + saga.path("sagaId").asString() + " of order " + saga.path("orderId").asString()
                    + " is parked as STUCK");
        }
    }

    /** 4. Every outbox row was published at least once (its id is an event-id on some topic). */
    private void checkOutboxPublished(List<String> violations) {
        Set<UUID> outbox = new HashSet<>();
        for (Service service : List.of(Service.ORDER, Service.PAYMENT, Service.INVENTORY, Service.ORCHESTRATOR)) {
            try (Connection connection = app.database(service).getConnection();
                 ResultSet rows = connection.createStatement().executeQuery("select id from outbox")) {
                while (rows.next()) {
                    outbox.add(rows.getObject(1, UUID.class));
                }
            } catch (SQLException e) {
                violations.add("cannot read the outbox of " + service.module + ": " + e.getMessage());
            }
        }
        Set<UUID> published = new HashSet<>();
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            published.addAll(publishedEventIds());
            return published.containsAll(outbox);
        });
        outbox.removeAll(published);
        outbox.forEach(id -> violations.add("outbox row " + id + " was never published"));
    }

    private Set<UUID> publishedEventIds() {
        Set<UUID> ids = new HashSet<>();
        try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, app.kafkaBootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.listTopics().forEach((topic, infos) -> {
                if (Topics.ALL.contains(topic)) {
                    infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
                }
            });
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    var header = record.headers().lastHeader(Headers.EVENT_ID);
                    if (header != null) {
                        ids.add(UUID.fromString(new String(header.value(), StandardCharsets.UTF_8)));
                    }
                });
            }
        }
        return ids;
    }
}
