package dev.sagaplatform.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.console.timeline.domain.Observation;
import dev.sagaplatform.console.timeline.persistence.TimelineStore;
import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console against a real broker and PostgreSQL: records published as the relay and the consumers' dead-letter
 * recoverer publish them become timelines, summaries, filters and dead letters; a record consumed twice is recorded
 * once; actions need the admin.
 */
@RealInfrastructure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.admin.user=operator",
        "platform.admin.password=console-secret",
        "console.consumer-group=saga-console-it",
        "console.stuck-after=2s",
        "console.zipkin-trace-url=http://zipkin.test/traces/{traceId}"})
class SagaConsoleIntegrationTest {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static KafkaProducer<String, String> producer;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    TimelineStore store;

    @Autowired
    JdbcClient jdbc;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void producer() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    @Test
    void buildsTheTimelineOfAChoreographedOrderFromItsMessages() throws Exception {
        UUID order = UUID.randomUUID();
        String created = publish("order.events", order, "OrderCreated", null, """
                {"orderId":"%s","customerId":"alice","items":[{"sku":"SKU-APPLE","quantity":2}],"total":3.00,
                 "flow":"CHOREOGRAPHY","createdAt":"%s"}""".formatted(order, Instant.now()), Map.of());
        String authorized = publish("payment.events", order, "PaymentAuthorized", created,
                "{\"orderId\":\"%s\",\"customerId\":\"alice\",\"amount\":3.00}".formatted(order), Map.of());
        String reserved = publish("inventory.events", order, "StockReserved", authorized,
                "{\"orderId\":\"%s\"}".formatted(order), Map.of());
        publish("order.events", order, "OrderApproved", reserved,
                "{\"orderId\":\"%s\",\"customerId\":\"alice\",\"total\":3.00}".formatted(order), Map.of());

        JsonNode timeline = awaitTimeline(order, 4);
        assertThat(timeline.at("/order/state").asString()).isEqualTo("APPROVED");
        assertThat(timeline.at("/order/flow").asString()).isEqualTo("CHOREOGRAPHY");
        assertThat(timeline.at("/order/customerId").asString()).isEqualTo("alice");
        assertThat(timeline.at("/order/traceUrl").asString()).isEqualTo("http://zipkin.test/traces/" + TRACE_ID);
        JsonNode messages = timeline.get("messages");
        assertThat(messages.valueStream().map(m -> m.get("eventType").asString()))
                .containsExactly("OrderCreated", "PaymentAuthorized", "StockReserved", "OrderApproved");
        assertThat(messages.valueStream().map(m -> m.get("sender").asString()))
                .containsExactly("order-service", "payment-service", "inventory-service", "order-service");
        assertThat(messages.get(1).get("causationId").asString()).isEqualTo(created);
        assertThat(messages.get(3).get("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(messages.get(0).get("traceId").asString()).isEqualTo(TRACE_ID);
        assertThat(messages.get(0).get("headers").get(Headers.TRACEPARENT).asString()).contains(TRACE_ID);
    }

    @Test
    void marksCompensationsRetriesAndFailuresOfAnOrchestratedOrder() throws Exception {
        UUID order = UUID.randomUUID();
        UUID saga = UUID.randomUUID();
        publish("order.events", order, "OrderCreated", null, """
                {"orderId":"%s","customerId":"bob","items":[],"total":80.00,"flow":"ORCHESTRATION","createdAt":"%s"}"""
                .formatted(order, Instant.now()), Map.of());
        String command = "{\"commandId\":\"%s\",\"sagaId\":\"%s\",\"orderId\":\"%s\"}";
        publish("payment.commands", order, "AuthorizePayment", null, command.formatted(UUID.randomUUID(), saga, order), Map.of());
        publish("payment.commands", order, "AuthorizePayment", null, command.formatted(UUID.randomUUID(), saga, order), Map.of());
        publish("saga.replies", order, "SagaReply", null, """
                {"commandId":"%s","sagaId":"%s","orderId":"%s","commandType":"AuthorizePayment","outcome":"FAILURE",
                 "reason":"INSUFFICIENT_CREDIT"}""".formatted(UUID.randomUUID(), saga, order), Map.of());
        publish("order.commands", order, "RejectOrder", null, command.formatted(UUID.randomUUID(), saga, order), Map.of());
        publish("order.events", order, "OrderRejected", null,
                "{\"orderId\":\"%s\",\"customerId\":\"bob\",\"reason\":\"INSUFFICIENT_CREDIT\"}".formatted(order), Map.of());

        JsonNode timeline = awaitTimeline(order, 6);
        JsonNode messages = timeline.get("messages");
        assertThat(messages.get(2).get("attempt").asInt()).as("the re-sent command").isEqualTo(2);
        assertThat(messages.get(3).get("outcome").asString()).isEqualTo("FAILED");
        assertThat(messages.get(3).get("sender").asString()).isEqualTo("payment-service");
        assertThat(messages.get(4).get("outcome").asString()).isEqualTo("COMPENSATION");
        assertThat(timeline.at("/order/state").asString()).isEqualTo("REJECTED");
        assertThat(timeline.at("/order/reason").asString()).isEqualTo("INSUFFICIENT_CREDIT");
        assertThat(timeline.at("/order/sagaId").asString()).isEqualTo(saga.toString());
        assertThat(timeline.at("/order/compensations").asInt()).isEqualTo(1);

        JsonNode rejected = get("/api/orders?state=REJECTED&flow=ORCHESTRATION&customerId=bob", null);
        assertThat(rejected.get("content").valueStream().map(o -> o.get("orderId").asString())).contains(order.toString());
        JsonNode approved = get("/api/orders?state=APPROVED&customerId=bob", null);
        assertThat(approved.get("content").valueStream().map(o -> o.get("orderId").asString())).doesNotContain(order.toString());
    }

    @Test
    void listsADeadLetterWithItsErrorAndAnOrderWithoutProgressAsStuck() throws Exception {
        UUID order = UUID.randomUUID();
        String eventId = publish("order.events", order, "OrderCreated", null, """
                {"orderId":"%s","customerId":"carol","items":[],"total":5.00,"flow":"CHOREOGRAPHY","createdAt":"%s"}"""
                .formatted(order, Instant.now()), Map.of());
        publish("order.events.DLT", order, "OrderCreated", null, "{\"orderId\":\"%s\"}".formatted(order), Map.of(
                Headers.EVENT_ID, eventId,
                "kafka_dlt-original-topic", "order.events",
                "kafka_dlt-original-consumer-group", "payment-service",
                "kafka_dlt-exception-fqcn", "org.springframework.kafka.listener.ListenerExecutionFailedException",
                "kafka_dlt-exception-cause-fqcn", "java.lang.IllegalStateException",
                "kafka_dlt-exception-message", "Listener failed; gateway exploded"));

        JsonNode timeline = awaitTimeline(order, 2);
        JsonNode deadLetter = timeline.get("messages").get(1);
        assertThat(deadLetter.get("outcome").asString()).isEqualTo("DEAD_LETTERED");
        assertThat(deadLetter.get("error").asString()).isEqualTo("IllegalStateException: gateway exploded");
        assertThat(deadLetter.get("consumerGroup").asString()).isEqualTo("payment-service");
        assertThat(deadLetter.get("record").asString()).startsWith("order.events.DLT:");

        JsonNode deadLetters = get("/api/dead-letters", null);
        assertThat(deadLetters.get("deadLetters").valueStream().map(d -> d.get("eventId").asString())).contains(eventId);

        // dead-lettered: stuck at once; a PENDING order with no message for console.stuck-after (2 s) too
        JsonNode stuck = get("/api/orders?stuck=true&customerId=carol", null);
        assertThat(stuck.get("content").valueStream().map(o -> o.get("orderId").asString())).contains(order.toString());
    }

    @Test
    void recordsARecordConsumedTwiceOnce() throws Exception {
        UUID order = UUID.randomUUID();
        publish("order.events", order, "OrderCreated", null, """
                {"orderId":"%s","customerId":"dave","items":[],"total":1.00,"flow":"CHOREOGRAPHY","createdAt":"%s"}"""
                .formatted(order, Instant.now()), Map.of());
        awaitTimeline(order, 1);
        var row = jdbc.sql("select topic, partition_no, offset_no from observed_message where order_id = :o").param("o", order)
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getLong(3)}).single();
        // The same record again, as the console's consumer redelivers it after a crash before its offset commit.
        var again = new ConsumerRecord<>((String) row[0], (int) row[1], (long) row[2], order.toString(),
                "{\"orderId\":\"%s\",\"customerId\":\"dave\"}".formatted(order));
        assertThat(store.record(new Observation(again.topic(), again.partition(),
                again.offset(), again.key(), order, null, "OrderCreated", null, null, Instant.now(), Map.of(), again.value(),
                null, null))).isFalse();
        assertThat(get("/api/orders/" + order, null).at("/order/messages").asInt()).isEqualTo(1);
    }

    @Test
    void keepsAPoisonPayloadThatPostgresTextCannotHold() throws Exception {
        UUID order = UUID.randomUUID();
        publish("order.events", order, "OrderCreated", null, "{\"orderId\":\"" + order + "\"}\u0000poison", Map.of());

        JsonNode message = awaitTimeline(order, 1).get("messages").get(0);
        assertThat(message.get("payload").asString()).endsWith("\\u0000poison");
    }

    @Test
    void actionsNeedTheAdminAndReadsAreOpen() throws Exception {
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(uri("/api/dead-letters/replay"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"record\":\"order.events.DLT:0@1\"}")),
                null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));

        HttpResponse<String> unknown = send(HttpRequest.newBuilder(uri("/api/dead-letters/replay"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"record\":\"order.events.DLT:2@999999\"}")), "operator:console-secret");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("type").asString()).endsWith("/unknown-dead-letter");

        assertThat(send(HttpRequest.newBuilder(uri("/api/orders")).GET(), null).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri("/")).GET(), null).body()).contains("Saga console");
        assertThat(send(HttpRequest.newBuilder(uri("/api/orders?size=501")).GET(), null).statusCode()).isEqualTo(400);
        assertThat(send(HttpRequest.newBuilder(uri("/api/orders?state=LOST")).GET(), null).statusCode()).isEqualTo(400);
    }

    private String publish(String topic, UUID order, String type, String causation, String payload, Map<String, String> extraHeaders)
            throws Exception {
        String eventId = extraHeaders.getOrDefault(Headers.EVENT_ID, UUID.randomUUID().toString());
        var record = new ProducerRecord<>(topic, order.toString(), payload);
        record.headers().add(Headers.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
        record.headers().add(Headers.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
        record.headers().add(Headers.TRACEPARENT, ("00-" + TRACE_ID + "-00f067aa0ba902b7-01").getBytes(StandardCharsets.UTF_8));
        if (causation != null) {
            record.headers().add(Headers.CAUSATION_ID, causation.getBytes(StandardCharsets.UTF_8));
        }
        extraHeaders.forEach((name, value) -> {
            if (!name.equals(Headers.EVENT_ID)) {
                record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
            }
        });
        producer.send(record).get();
        return eventId;
    }

    private JsonNode awaitTimeline(UUID order, int messages) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/orders/" + order)).GET(), null);
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        }, timeline -> timeline != null && timeline.get("messages").size() >= messages);
    }

    private JsonNode get(String path, String credentials) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET(), credentials);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String credentials) throws Exception {
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
