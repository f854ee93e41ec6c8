package dev.sagaplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.e2e.ApplicationUnderTest.Service;
import dev.sagaplatform.testsupport.JavaProcess;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every infrastructure failure the platform is built to survive, with the whole platform running: the broker
 * crashing, PostgreSQL restarting, the relay dying between publishing and recording its position, poison on
 * every saga topic, a client sending the same order many times at once. Each test asserts the outcome the design
 * promises (docs/resilience.md), and the base class checks every invariant afterwards.
 */
class FailureModesTest extends EndToEndTest {

    private static EmbeddedPlatform platform;

    @BeforeAll
    static void needsTheEmbeddedPlatform() {
        if (!(app instanceof EmbeddedPlatform embedded)) {
            throw new org.opentest4j.TestAbortedException("needs the embedded platform to crash Kafka, PostgreSQL and the relay");
        }
        platform = embedded;
    }

    /**
     * Kafka down for longer than the choreography deadline. Placing needs no broker (the outbox holds the
     * messages), so both orders are accepted; the choreographed one ends TIMED_OUT by its deadline while Kafka is
     * still down, the orchestrated saga starts only when its OrderCreated arrives, so it is approved after the
     * broker returns. The timed-out order's late OrderCreated and its OrderTimedOut then reach payment-service in
     * that order (one partition per order): whatever it authorized it gives back.
     */
    @Test
    void aBrokerOutageLosesNoOrderChoreographyTimesOutByItsDeadlineAndTheOrchestratedSagaRunsWhenKafkaReturns() {
        platform.killKafka();
        UUID choreographed;
        UUID orchestrated;
        try {
            choreographed = place("alice", "CHOREOGRAPHY");
            orchestrated = place("alice", "ORCHESTRATION");
            await().atMost(EmbeddedPlatform.CHOREOGRAPHY_DEADLINE.plusSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !"PENDING".equals(client.order(choreographed).path("status").asString()));
            assertThat(client.order(choreographed).path("reason").asString()).isEqualTo("TIMED_OUT");
            assertThat(client.order(orchestrated).path("status").asString()).isEqualTo("PENDING");
        } finally {
            // The relay waits (frozen) until every service has rejoined its consumer group on the restarted broker:
            // an orchestrated step sent before payment-service listens again would wait out its short e2e deadline.
            platform.pause(Service.RELAY);
            try {
                platform.restartKafka();
                awaitConsumerGroupsListening();
            } finally {
                platform.resume(Service.RELAY);
            }
        }

        assertThat(client.awaitTerminal(orchestrated).path("status").asString()).isEqualTo("APPROVED");
        assertThat(client.order(choreographed).path("status").asString()).isEqualTo("REJECTED");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                List.of("VOIDED", "REFUNDED").contains(client.get(Service.PAYMENT, "/payments/" + choreographed).json()
                        .path("status").asString()));
        // And the platform is back to normal for new orders in both flows.
        assertThat(client.awaitTerminal(place("alice", "CHOREOGRAPHY")).path("status").asString()).isEqualTo("APPROVED");
        assertThat(client.awaitTerminal(place("alice", "ORCHESTRATION")).path("status").asString()).isEqualTo("APPROVED");
    }

    /**
     * PostgreSQL stops (every session cut) and starts again. While it is down an order is refused with 503 and
     * nothing stored, so the client's retry with the same Idempotency-Key after the restart places it once.
     */
    @Test
    void whilePostgresIsDownAnOrderIsRefusedWith503AndItsRetryAfterTheRestartPlacesItOnce() {
        String key = UUID.randomUUID().toString();
        platform.stopPostgres();
        try {
            var refused = client.placeOrder(key, "alice", Map.of("SKU-APPLE", 1), "CHOREOGRAPHY");
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.json().path("type").asString()).endsWith("/dependency-unavailable");
            assertThat(refused.headers()).containsKey("retry-after");
        } finally {
            platform.startPostgres();
        }
        // The relay and the consumers reconnect by themselves; the relay's health says when every source streams again.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> "UP".equals(
                client.adminGet(Service.RELAY, "/actuator/health").json().path("components").path("relaySources")
                        .path("status").asString()));

        UUID choreographed = UUID.fromString(placeWithKey(key, "CHOREOGRAPHY").path("orderId").asString());
        assertThat(count(Service.ORDER, "select count(*) from idempotency_key where idempotency_key = '" + key + "'")).isEqualTo(1);
        assertThat(client.awaitTerminal(choreographed).path("status").asString()).isEqualTo("APPROVED");
        assertThat(client.awaitTerminal(place("alice", "ORCHESTRATION")).path("status").asString()).isEqualTo("APPROVED");
    }

    /**
     * The relay crashes at the one point no signal can hit reliably: Kafka has acknowledged a batch, its source
     * position is not committed yet ({@code relay.testing.crash-after-publishing}). After the restart it publishes
     * exactly that batch again, and each consumer of it sees the copy and ignores it.
     */
    @Test
    void aRelayCrashBetweenPublishingAndCommittingRepublishesExactlyThatBatchAndNoCopyHasASecondEffect() {
        // A graceful stop first: every earlier position is committed, so the crash can only repeat the new batch.
        platform.stop(Service.RELAY);
        JavaProcess crashing = platform.startWith(Service.RELAY, List.of("--relay.testing.crash-after-publishing=OrderCreated"));
        platform.awaitStarted(Service.RELAY);
        double paymentDuplicates = duplicates(Service.PAYMENT, "payment-service");
        double orchestratorDuplicates = duplicates(Service.ORCHESTRATOR, "saga-orchestrator");

        UUID orderId = place("alice", "CHOREOGRAPHY");
        assertThat(crashing.waitFor(Duration.ofSeconds(60))).as("the relay's exit code").isEqualTo(137);
        Matcher logged = Pattern.compile("published event ids: \\[([^\\]]*)]").matcher(crashing.tailLog(200));
        assertThat(logged.find()).as("the relay names what it published before crashing").isTrue();
        List<String> unconfirmed = List.of(logged.group(1).split(", "));
        platform.restart(Service.RELAY);

        assertThat(client.awaitTerminal(orderId).path("status").asString()).isEqualTo("APPROVED");
        String orderCreated = outboxId(orderId, "OrderCreated");
        assertThat(unconfirmed).containsExactly(orderCreated);
        // On the topics: the unconfirmed batch twice (once the restarted relay has streamed again), all else once.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> copiesOnTopics(orderId).getOrDefault(orderCreated, 0) >= 2);
        Map<String, Integer> copies = copiesOnTopics(orderId);
        assertThat(copies).containsEntry(orderCreated, 2);
        copies.forEach((eventId, count) -> {
            if (!eventId.equals(orderCreated)) {
                assertThat(count).as("copies of " + eventId).isEqualTo(1);
            }
        });
        // Both consumers of OrderCreated saw the copy and ignored it; one payment, one charge (and the invariants).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                duplicates(Service.PAYMENT, "payment-service") == paymentDuplicates + 1
                        && duplicates(Service.ORCHESTRATOR, "saga-orchestrator") == orchestratorDuplicates + 1);
        assertThat(count(Service.PAYMENT, "select count(*) from payment where order_id = '" + orderId + "'")).isEqualTo(1);
        assertThat(count(Service.GATEWAY, "select count(*) from charge where order_id = '" + orderId + "'")).isEqualTo(1);
    }

    /**
     * An unreadable record on every saga topic, of a type its consumers handle: each consumer dead-letters it
     * without retrying (it can never be read) and goes on with the next record, and nothing changes anywhere.
     */
    @Test
    void aPoisonMessageOnEverySagaTopicIsDeadLetteredByEachOfItsConsumersWhoCarryOn() {
        Map<String, List<Service>> consumersByType = new LinkedHashMap<>();
        Map<String, String> topicByType = new LinkedHashMap<>();
        poison(topicByType, consumersByType, Topics.ORDER_EVENTS, "OrderCreated", Service.PAYMENT, Service.ORCHESTRATOR);
        poison(topicByType, consumersByType, Topics.PAYMENT_EVENTS, "PaymentAuthorized", Service.INVENTORY);
        poison(topicByType, consumersByType, Topics.INVENTORY_EVENTS, "StockReserved", Service.ORDER);
        poison(topicByType, consumersByType, Topics.PAYMENT_COMMANDS, "AuthorizePayment", Service.PAYMENT);
        poison(topicByType, consumersByType, Topics.INVENTORY_COMMANDS, "ReserveStock", Service.INVENTORY);
        poison(topicByType, consumersByType, Topics.ORDER_COMMANDS, "ApproveOrder", Service.ORDER);
        poison(topicByType, consumersByType, Topics.SAGA_REPLIES, "SagaReply", Service.ORCHESTRATOR);
        assertThat(topicByType.values()).as("every saga topic gets its poison").containsExactlyInAnyOrderElementsOf(Topics.ALL);

        Map<String, UUID> keys = new HashMap<>();
        try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, app.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            topicByType.forEach((type, topic) -> {
                UUID key = UUID.randomUUID();
                keys.put(type, key);
                var record = new ProducerRecord<>(topic, key.toString().getBytes(StandardCharsets.UTF_8),
                        "{\"orderId\": not json".getBytes(StandardCharsets.UTF_8));
                record.headers().add(Headers.EVENT_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                record.headers().add(Headers.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
                record.headers().add(Headers.SCHEMA_VERSION, "1".getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            });
            producer.flush();
        }

        consumersByType.forEach((type, services) -> {
            for (Service service : services) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).alias(service.module + " dead-letters " + type)
                        .until(() -> deadLettered(service, keys.get(type), type));
            }
        });
        // Every consumer carries on past its poison: both flows still approve.
        assertThat(client.awaitTerminal(place("alice", "CHOREOGRAPHY")).path("status").asString()).isEqualTo("APPROVED");
        assertThat(client.awaitTerminal(place("alice", "ORCHESTRATION")).path("status").asString()).isEqualTo("APPROVED");
    }

    /**
     * A client that fires the same order eight times at once (a retrying proxy, a double click): one order. Each
     * answer is the original 202 with the same order id, or 409 while the first request is still running.
     */
    @Test
    void theSameOrderPostedEightTimesAtOnceWithOneKeyIsPlacedOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        int senders = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<PlatformClient.Response> responses = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                sent.add(pool.submit(() -> {
                    start.await();
                    responses.add(client.placeOrder(key, "alice", Map.of("SKU-PEN", 1), "ORCHESTRATION"));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : sent) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> orderIds = new ArrayList<>();
        for (PlatformClient.Response response : responses) {
            assertThat(response.status()).as(response.body()).isIn(202, 409);
            if (response.status() == 202) {
                orderIds.add(response.json().path("orderId").asString());
            } else {
                assertThat(response.json().path("type").asString()).endsWith("/request-in-progress");
            }
        }
        assertThat(orderIds).isNotEmpty();
        assertThat(orderIds.stream().distinct().toList()).as("every 202 names the same order").hasSize(1);
        UUID orderId = UUID.fromString(orderIds.get(0));
        assertThat(count(Service.ORDER, "select count(*) from idempotency_key where idempotency_key = '" + key
                + "' and order_id = '" + orderId + "'")).isEqualTo(1);
        assertThat(client.awaitTerminal(orderId).path("status").asString()).isEqualTo("APPROVED");
        // Once the first request is done, a late copy gets the stored original answer.
        assertThat(placeWithKey(key, "ORCHESTRATION", "SKU-PEN").path("orderId").asString()).isEqualTo(orderId.toString());
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static final List<String> SERVICE_CONSUMER_GROUPS = List.of("order-service", "payment-service", "inventory-service",
            "saga-orchestrator");

    private static void awaitConsumerGroupsListening() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, app.kafkaBootstrapServers()))) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
                    admin.describeConsumerGroups(SERVICE_CONSUMER_GROUPS).all().get().values().stream().allMatch(group ->
                            group.groupState() == GroupState.STABLE && !group.members().isEmpty()));
        }
    }

    private static void poison(Map<String, String> topicByType, Map<String, List<Service>> consumersByType, String topic,
                               String type, Service... consumers) {
        topicByType.put(type, topic);
        consumersByType.put(type, List.of(consumers));
    }

    private static boolean deadLettered(Service service, UUID key, String type) {
        var response = client.adminGet(service, "/admin/dead-letters");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode deadLetter : response.json().path("deadLetters")) {
            if (key.toString().equals(deadLetter.path("key").asString()) && type.equals(deadLetter.path("eventType").asString())) {
                return true;
            }
        }
        return false;
    }

    private static UUID place(String customerId, String flow) {
        var response = client.placeOrder(UUID.randomUUID().toString(), customerId, Map.of("SKU-APPLE", 1), flow);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return UUID.fromString(response.json().path("orderId").asString());
    }

    private static JsonNode placeWithKey(String key, String flow) {
        return placeWithKey(key, flow, "SKU-APPLE");
    }

    private static JsonNode placeWithKey(String key, String flow, String sku) {
        var response = client.placeOrder(key, "alice", Map.of(sku, 1), flow);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json();
    }

    /** payment-service's or the orchestrator's count of OrderCreated copies its inbox ignored. */
    private static double duplicates(Service service, String consumer) {
        double sum = 0;
        for (String line : client.get(service, "/actuator/prometheus").body().split("\n")) {
            if (line.startsWith("messaging_consumer_messages_total{") && line.contains("consumer=\"" + consumer + "\"")
                    && line.contains("outcome=\"duplicate\"") && line.contains("type=\"OrderCreated\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static String outboxId(UUID orderId, String type) {
        try (Connection connection = app.database(Service.ORDER).getConnection();
             var query = connection.prepareStatement("select id from outbox where aggregateid = ? and type = ?")) {
            query.setString(1, orderId.toString());
            query.setString(2, type);
            try (var rows = query.executeQuery()) {
                assertThat(rows.next()).as(type + " of " + orderId + " in the outbox").isTrue();
                return rows.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many records on the saga topics carry each event id of the order (all partitions, from the start). */
    private static Map<String, Integer> copiesOnTopics(UUID orderId) {
        Map<String, Integer> copies = new HashMap<>();
        byte[] key = orderId.toString().getBytes(StandardCharsets.UTF_8);
        try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, app.kafkaBootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.listTopics(Duration.ofSeconds(30)).forEach((topic, infos) -> {
                if (Topics.ALL.contains(topic)) {
                    infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
                }
            });
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    Header eventId = record.headers().lastHeader(Headers.EVENT_ID);
                    if (eventId != null && java.util.Arrays.equals(record.key(), key)) {
                        copies.merge(new String(eventId.value(), StandardCharsets.UTF_8), 1, Integer::sum);
                    }
                });
            }
        }
        return copies;
    }

    private static long count(Service service, String sql) {
        try (Connection connection = app.database(service).getConnection();
             var statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
