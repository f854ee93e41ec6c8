package dev.sagaplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.e2e.ApplicationUnderTest.Service;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The choreographed flow through every real component: REST → outbox → relay → Kafka → participants. */
class ChoreographedSagaTest extends EndToEndTest {

    @Test
    void orderWithinCreditAndStockIsApprovedDebitedAndReserved() {
        BigDecimal spentBefore = spent("alice");
        long reservedBefore = client.product("SKU-APPLE").path("reserved").asLong();

        UUID orderId = place("alice", Map.of("SKU-APPLE", 2));

        JsonNode order = client.awaitTerminal(orderId);
        assertThat(order.path("status").asString()).isEqualTo("APPROVED");
        assertThat(order.path("total").decimalValue()).isEqualByComparingTo("3.00");
        assertThat(spent("alice").subtract(spentBefore)).isEqualByComparingTo("3.00");
        assertThat(client.product("SKU-APPLE").path("reserved").asLong() - reservedBefore).isEqualTo(2);
    }

    @Test
    void orderBeyondTheCustomersCreditIsRejectedAndNothingMoves() {
        BigDecimal spentBefore = spent("bob");
        long reservedBefore = client.product("SKU-WATCH").path("reserved").asLong();

        UUID orderId = place("bob", Map.of("SKU-WATCH", 1));

        JsonNode order = client.awaitTerminal(orderId);
        assertThat(order.path("status").asString()).isEqualTo("REJECTED");
        assertThat(order.path("reason").asString()).isEqualTo("INSUFFICIENT_CREDIT");
        assertThat(order.path("reasonDetail").asString()).isNotBlank();
        assertThat(spent("bob")).isEqualByComparingTo(spentBefore);
        assertThat(client.product("SKU-WATCH").path("reserved").asLong()).isEqualTo(reservedBefore);
    }

    @Test
    void orderBeyondTheStockIsRejectedAndItsPaymentRefunded() {
        String sku = newProduct("9.00", 1);
        BigDecimal spentBefore = spent("carol");

        UUID orderId = place("carol", Map.of(sku, 2));

        JsonNode order = client.awaitTerminal(orderId);
        assertThat(order.path("status").asString()).isEqualTo("REJECTED");
        assertThat(order.path("reason").asString()).isEqualTo("OUT_OF_STOCK");
        await().atMost(Duration.ofSeconds(30)).until(() -> spent("carol").compareTo(spentBefore) == 0);
        JsonNode payment = client.get(Service.PAYMENT, "/payments/" + orderId).json();
        assertThat(payment.path("status").asString()).isEqualTo("REFUNDED");
        assertThat(client.product(sku).path("available").asLong()).isEqualTo(1);
    }

    @Test
    void twoConcurrentOrdersForTheLastUnitApproveExactlyOne() {
        String sku = newProduct("5.00", 1);

        CompletableFuture<UUID> first = CompletableFuture.supplyAsync(() -> place("alice", Map.of(sku, 1)));
        CompletableFuture<UUID> second = CompletableFuture.supplyAsync(() -> place("carol", Map.of(sku, 1)));
        List<String> statuses = new ArrayList<>();
        for (UUID orderId : List.of(first.join(), second.join())) {
            statuses.add(client.awaitTerminal(orderId).path("status").asString());
        }

        assertThat(statuses).containsExactlyInAnyOrder("APPROVED", "REJECTED");
        JsonNode product = client.product(sku);
        assertThat(product.path("reserved").asLong()).isEqualTo(1);
        assertThat(product.path("available").asLong()).isZero();
    }

    @Test
    void theSameKafkaMessageDeliveredTwiceChangesNothing() throws Exception {
        UUID orderId = place("carol", Map.of("SKU-BOOK", 1));
        assertThat(client.awaitTerminal(orderId).path("status").asString()).isEqualTo("APPROVED");
        BigDecimal spentBefore = spent("carol");
        long reservedBefore = client.product("SKU-BOOK").path("reserved").asLong();

        // Publish the order's OrderCreated and PaymentAuthorized again, byte for byte, headers included.
        for (String topic : List.of(Topics.ORDER_EVENTS, Topics.PAYMENT_EVENTS)) {
            ConsumerRecord<byte[], byte[]> original = firstRecordWithKey(topic, orderId);
            RecordMetadata duplicate = republish(original);
            String consumerGroup = Topics.ORDER_EVENTS.equals(topic) ? "payment-service" : "inventory-service";
            awaitConsumedPast(consumerGroup, duplicate);
        }

        assertThat(spent("carol")).isEqualByComparingTo(spentBefore);
        assertThat(client.product("SKU-BOOK").path("reserved").asLong()).isEqualTo(reservedBefore);
        assertThat(client.order(orderId).path("status").asString()).isEqualTo("APPROVED");
    }

    private UUID place(String customerId, Map<String, Integer> lines) {
        var response = client.placeOrder(UUID.randomUUID().toString(), customerId, lines, "CHOREOGRAPHY");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return UUID.fromString(response.json().path("orderId").asString());
    }

    private static BigDecimal spent(String customerId) {
        JsonNode customer = client.customer(customerId);
        return customer.path("creditLimit").decimalValue().subtract(customer.path("availableCredit").decimalValue());
    }

    /** A product of the test's own, so that stock-sensitive tests do not depend on each other. */
    static String newProduct(String price, int stock) {
        String sku = "SKU-E2E-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        try (Connection connection = app.database(Service.INVENTORY).getConnection();
             var insert = connection.prepareStatement(
                     "insert into products (sku, name, price, available, reserved) values (?, ?, ?, ?, 0)")) {
            insert.setString(1, sku);
            insert.setString(2, "e2e " + sku);
            insert.setBigDecimal(3, new BigDecimal(price));
            insert.setInt(4, stock);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return sku;
    }

    private static ConsumerRecord<byte[], byte[]> firstRecordWithKey(String topic, UUID orderId) {
        try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, app.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            byte[] key = orderId.toString().getBytes(StandardCharsets.UTF_8);
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (java.util.Arrays.equals(record.key(), key)) {
                        found.add(record);
                    }
                });
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    private static RecordMetadata republish(ConsumerRecord<byte[], byte[]> original) throws Exception {
        try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, app.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            var record = new ProducerRecord<>(original.topic(), null, original.key(), original.value(), original.headers());
            assertThat(record.headers().lastHeader(Headers.EVENT_ID)).isNotNull();
            return producer.send(record).get();
        }
    }

    /** Waits until {@code group} has committed an offset past the duplicate: it has seen it. */
    private static void awaitConsumedPast(String group, RecordMetadata duplicate) {
        TopicPartition partition = new TopicPartition(duplicate.topic(), duplicate.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, app.kafkaBootstrapServers()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> offsets =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                OffsetAndMetadata committed = offsets.get(partition);
                return committed != null && committed.offset() > duplicate.offset();
            });
        }
    }
}
