package dev.sagaplatform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.contracts.payment.PaymentAuthorized;
import dev.sagaplatform.messaging.MessagingTestApplication.BuggyHandler;
import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.RelayLikePublisher;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
 * {@code /admin/dead-letters} and the {@code deadLetters} health component over real HTTP, with a real broker and
 * database: a handler bug dead-letters a message, the admin sees it, fixes the bug and replays it, and it is applied
 * exactly once however often it is replayed. The consumer ({@code dead-letter-test}) reads payment.events, which no
 * other test class of this module consumes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "test.dead-letter-subscription.enabled=true",
        "platform.admin.user=ops",
        "platform.admin.password=test-secret",
        "management.endpoints.web.exposure.include=health",
        "management.endpoint.health.show-details=always",
        "management.endpoint.health.probes.enabled=true"})
@RealInfrastructure
class DeadLetterAdminApiTest {

    private static final String ADMIN = basic("ops", "test-secret");
    private static final String PROBLEMS = "https://saga-platform.dev/problems/";
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private static RelayLikePublisher publisher;
    /** Writes a dead letter by hand, headers and all. */
    private static KafkaProducer<String, byte[]> producer;

    @Autowired
    BuggyHandler handler;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MessagingProperties messaging;
    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startProducer() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        publisher = RelayLikePublisher.onTestBroker(new MessageCodec()::toJson);
    }

    @AfterAll
    static void stopProducer() {
        producer.close();
        publisher.close();
    }

    @Test
    void aDeadLetterIsListedForTheAdminAndAppliedExactlyOnceWhenReplayedAfterTheFix() throws Exception {
        long deadLettersBefore = health().at("/components/deadLetters/details/total").longValue();
        PaymentAuthorized event = paymentAuthorized();
        UUID eventId = UUID.randomUUID();
        handler.failFor(event.orderId());

        publisher.publish(event, eventId);

        JsonNode deadLetter = awaitDeadLetter(eventId);
        String record = deadLetter.get("record").stringValue();
        assertThat(record).matches("payment\\.events\\.DLT:\\d+@\\d+");
        assertThat(deadLetter.get("topic").stringValue()).isEqualTo("payment.events.DLT");
        assertThat(record).isEqualTo("payment.events.DLT:" + deadLetter.get("partition").intValue() + "@" + deadLetter.get("offset").longValue());
        assertThat(deadLetter.get("originalTopic").stringValue()).isEqualTo(Topics.PAYMENT_EVENTS);
        assertThat(deadLetter.get("key").stringValue()).isEqualTo(event.orderId().toString());
        assertThat(deadLetter.get("eventType").stringValue()).isEqualTo("PaymentAuthorized");
        // The Kafka group: the consumer's name plus this test context's suffix (platform-test-support).
        assertThat(deadLetter.get("consumerGroup").stringValue()).isEqualTo(messaging.consumer().groupId(BuggyHandler.CONSUMER))
                .startsWith(BuggyHandler.CONSUMER + "-");
        assertThat(deadLetter.get("error").stringValue()).isEqualTo("IllegalStateException: simulated bug for order " + event.orderId());
        assertThat(Instant.parse(deadLetter.get("timestamp").stringValue())).isAfter(Instant.now().minus(Duration.ofMinutes(5)));
        assertThat(effectsFor(event.orderId())).isZero();

        assertUnauthorized(send("GET", "/admin/dead-letters", null, null));
        assertUnauthorized(send("GET", "/admin/dead-letters", basic("ops", "guess"), null));
        assertUnauthorized(send("POST", "/admin/dead-letters/replay", null, "{\"records\":[\"" + record + "\"]}"));

        // The health component counts it (once the broker acknowledged it), stays UP, and is in no probe group.
        await().atMost(SETTLE).until(() -> health().at("/components/deadLetters/details/total").longValue() == deadLettersBefore + 1);
        JsonNode health = health();
        assertThat(health.get("status").stringValue()).isEqualTo("UP");
        JsonNode component = health.at("/components/deadLetters");
        assertThat(component.get("status").stringValue()).isEqualTo("UP");
        assertThat(component.at("/details/byTopic/payment.events").longValue()).isGreaterThanOrEqualTo(1);
        assertThat(component.at("/details/last/record").stringValue()).isEqualTo(record);
        assertThat(component.at("/details/last/error").stringValue()).isEqualTo(deadLetter.get("error").stringValue());
        for (String group : List.of("liveness", "readiness")) {
            HttpResponse<String> probe = send("GET", "/actuator/health/" + group, null, null);
            assertThat(probe.statusCode()).as(probe.body()).isEqualTo(200);
            assertThat(json.readTree(probe.body()).at("/components/deadLetters").isMissingNode()).as(probe.body()).isTrue();
        }

        handler.fix(event.orderId());
        HttpResponse<String> replay = send("POST", "/admin/dead-letters/replay", ADMIN, "{\"records\":[\"" + record + "\"]}");

        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(json.readTree(replay.body()).get("replayed")).singleElement().satisfies(replayed -> {
            assertThat(replayed.get("record").stringValue()).isEqualTo(record);
            assertThat(replayed.get("originalTopic").stringValue()).isEqualTo(Topics.PAYMENT_EVENTS);
            assertThat(replayed.get("eventId").stringValue()).isEqualTo(eventId.toString());
        });
        await().atMost(SETTLE).until(() -> effectsFor(event.orderId()) == 1);
        assertThat(effectIds(event.orderId())).containsExactly(eventId);

        // Replayed again: the inbox knows the event id. A later message on the same key proves the replay was consumed.
        assertThat(send("POST", "/admin/dead-letters/replay", ADMIN, "{\"records\":[\"" + record + "\"]}").statusCode()).isEqualTo(200);
        UUID marker = awaitAppliedAfter(event.orderId());
        assertThat(effectIds(event.orderId())).containsExactlyInAnyOrder(eventId, marker);
        assertThat(health().at("/components/deadLetters/details/total").longValue()).isEqualTo(deadLettersBefore + 1);
    }

    @Test
    void aReplayRequestThatNamesNothingOrBothOrAMalformedRecordIsA400Problem() throws Exception {
        assertProblem(replay("{}"), 400, "invalid-field");
        assertProblem(replay("{\"all\":false}"), 400, "invalid-field");
        assertProblem(replay("{\"records\":[]}"), 400, "invalid-field");
        assertProblem(replay("{\"all\":true,\"records\":[\"payment.events.DLT:0@1\"]}"), 400, "invalid-field");
        assertProblem(replay("{\"all\":\"yes\"}"), 400, "invalid-field");
        assertProblem(replay("{\"records\":\"payment.events.DLT:0@1\"}"), 400, "invalid-field");
        HttpResponse<String> malformed = replay("{\"records\":[\"payment.events.DLT:0@1\",\"payment.events:0@1\",7]}");
        assertProblem(malformed, 400, "invalid-field");
        assertThat(json.readTree(malformed.body()).get("malformed").valueStream().map(JsonNode::stringValue))
                .containsExactly("payment.events:0@1", "7");
        assertProblem(replay("{\"record\":[\"payment.events.DLT:0@1\"]}"), 400, "unknown-field");
        assertProblem(replay("{\"all\":true"), 400, "malformed-json");
        assertProblem(replay("[\"payment.events.DLT:0@1\"]"), 400, "malformed-json");

        HttpResponse<String> notJson = http.send(HttpRequest.newBuilder(uri("/admin/dead-letters/replay")).header("Authorization", ADMIN)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"all\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(notJson, 415, "unsupported-media-type");
    }

    @Test
    void namingARecordThatIsNotThisServicesDeadLetterIsA404AndReplaysNothing() throws Exception {
        PaymentAuthorized event = paymentAuthorized();
        UUID eventId = UUID.randomUUID();
        handler.failFor(event.orderId());
        publisher.publish(event, eventId);
        String ours = awaitDeadLetter(eventId).get("record").stringValue();
        // Another service's dead letter on the same topic, as Spring Kafka writes it: listed by no one here.
        String theirs = deadLetterOfAnotherConsumer();
        assertThat(deadLetters()).noneMatch(d -> d.get("record").stringValue().equals(theirs));
        handler.fix(event.orderId());

        HttpResponse<String> response = replay("{\"records\":[\"" + ours + "\",\"" + theirs + "\",\"payment.events.DLT:0@999999999\"]}");

        assertProblem(response, 404, "unknown-dead-letter");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("records").valueStream().map(JsonNode::stringValue)).containsExactly(theirs, "payment.events.DLT:0@999999999");
        assertThat(problem.get("detail").stringValue()).contains("nothing was replayed");
        awaitAppliedAfter(event.orderId());
        assertThat(effectsFor(event.orderId())).as("the replay of %s was not sent", ours).isEqualTo(1);
    }

    private JsonNode awaitDeadLetter(UUID eventId) {
        return await().atMost(SETTLE).until(() -> deadLetters().stream()
                        .filter(d -> eventId.toString().equals(d.get("eventId").stringValue())).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private List<JsonNode> deadLetters() throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", "/admin/dead-letters", ADMIN, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("consumer").stringValue()).isEqualTo(BuggyHandler.CONSUMER);
        return StreamSupport.stream(body.get("deadLetters").spliterator(), false).toList();
    }

    /** Publishes a new message with the key of {@code orderId}'s and waits until it is applied: whatever was before it on that partition was consumed. */
    private UUID awaitAppliedAfter(UUID orderId) {
        PaymentAuthorized marker = new PaymentAuthorized(orderId, "customer-1", new BigDecimal("10.00"), "pay-marker",
                List.of(new OrderLine("SKU-1", 1, new BigDecimal("10.00"))));
        UUID markerId = UUID.randomUUID();
        publisher.publish(marker, markerId);
        await().atMost(SETTLE).until(() -> effectIds(orderId).contains(markerId));
        return markerId;
    }

    private String deadLetterOfAnotherConsumer() throws Exception {
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.deadLetter(Topics.PAYMENT_EVENTS), UUID.randomUUID().toString(),
                "{}".getBytes(StandardCharsets.UTF_8));
        dead.headers().add(Headers.EVENT_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        dead.headers().add(Headers.EVENT_TYPE, "PaymentAuthorized".getBytes(StandardCharsets.UTF_8));
        dead.headers().add("kafka_dlt-original-topic", Topics.PAYMENT_EVENTS.getBytes(StandardCharsets.UTF_8));
        dead.headers().add("kafka_dlt-original-consumer-group", "inventory-service".getBytes(StandardCharsets.UTF_8));
        var sent = producer.send(dead).get(30, TimeUnit.SECONDS);
        return sent.topic() + ":" + sent.partition() + "@" + sent.offset();
    }

    private JsonNode health() throws IOException, InterruptedException {
        return json.readTree(send("GET", "/actuator/health", null, null).body());
    }

    private long effectsFor(UUID orderId) {
        return jdbc.sql("select count(*) from test_effect where order_id = ?").param(orderId).query(Long.class).single();
    }

    private List<UUID> effectIds(UUID orderId) {
        return jdbc.sql("select message_id from test_effect where order_id = ?").param(orderId).query(UUID.class).list();
    }

    private static PaymentAuthorized paymentAuthorized() {
        return new PaymentAuthorized(UUID.randomUUID(), "customer-1", new BigDecimal("10.00"), "pay-" + UUID.randomUUID(),
                List.of(new OrderLine("SKU-1", 1, new BigDecimal("10.00"))));
    }

    private HttpResponse<String> replay(String body) throws IOException, InterruptedException {
        return send("POST", "/admin/dead-letters/replay", ADMIN, body);
    }

    private HttpResponse<String> send(String method, String path, String authorization, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private void assertUnauthorized(HttpResponse<String> response) {
        assertProblem(response, 401, "unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"messaging-test admin\"");
    }

    private void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("type").stringValue()).isEqualTo(PROBLEMS + type);
        assertThat(problem.get("status").intValue()).isEqualTo(status);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
