package dev.sagaplatform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.contracts.order.OrderCreated;
import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.messaging.inbox.ProcessedMessages;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.RelayLikePublisher;
import dev.sagaplatform.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The consumer side against a real broker and database: what arrives twice is applied once. */
@SpringBootTest(properties = "test.subscription.enabled=true")
@RealInfrastructure
class IdempotentConsumerTest {

    private static RelayLikePublisher publisher;

    @Autowired
    JdbcClient jdbc;
    @Autowired
    ProcessedMessages inbox;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    MessagingTestApplication.RecordingHandler handler;
    @Autowired
    MeterRegistry meters;

    @BeforeAll
    static void startProducer() {
        publisher = RelayLikePublisher.onTestBroker(new MessageCodec()::toJson);
    }

    @AfterAll
    static void stopProducer() {
        publisher.close();
    }

    @Test
    void appliesARedeliveredMessageOnce() {
        OrderCreated event = orderCreated("customer-1");
        UUID messageId = UUID.randomUUID();

        deliverTwice(event, messageId);

        assertThat(effectsFor(event.orderId())).isEqualTo(1);
        assertThat(inbox.isProcessed("messaging-test", messageId)).isTrue();
        // The container belongs to Spring Kafka's registry, so its listener timers reach the service's registry.
        assertThat(meters.find("spring.kafka.listener").timers()).isNotEmpty();
    }

    @Test
    void whatAHandlerSendsNamesTheHandledMessageAsItsCauseOnceAcrossRedeliveries() {
        OrderCreated event = orderCreated(MessagingTestApplication.ANSWERED_CUSTOMER);
        UUID messageId = UUID.randomUUID();

        deliverTwice(event, messageId);

        // The redelivery wrote no second answer; the one answer points at the message, which the inbox holds.
        assertThat(jdbc.sql("select causation_id from outbox where aggregateid = ? and type = 'PaymentAuthorized'")
                .param(event.orderId().toString()).query(UUID.class).list()).containsExactly(messageId);
        assertThat(inbox.isProcessed("messaging-test", messageId)).isTrue();
    }

    /** Publishes {@code event} twice under one message id and returns once the consumer has seen both copies. */
    private void deliverTwice(OrderCreated event, UUID messageId) {
        publisher.publish(event, messageId);
        publisher.publish(event, messageId);
        OrderCreated marker = orderCreated("customer-1");
        publisher.publish(marker, UUID.randomUUID(), event.orderId().toString());
        // Same key, so the marker follows both copies on one partition: once it is applied, both copies were seen.
        await().atMost(Duration.ofSeconds(30)).until(() -> effectsFor(marker.orderId()) == 1);
    }

    @Test
    void racingDeliveriesOfOneMessageApplyItOnce() throws Exception {
        UUID messageId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        CountDownLatch firstInserted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);

        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> transactions.execute(status -> {
            boolean applied = applyOnce(messageId, orderId);
            firstInserted.countDown();
            awaitLatch(releaseFirst);
            return applied;
        }));
        assertThat(firstInserted.await(10, TimeUnit.SECONDS)).isTrue();
        // The second delivery blocks on the first one's uncommitted inbox row until that commits.
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(
                () -> transactions.execute(status -> applyOnce(messageId, orderId)));
        // Seen from the server: the second transaction is waiting for the first one's lock.
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select count(*) from pg_stat_activity"
                + " where datname = current_database() and wait_event_type = 'Lock'").query(Long.class).single() > 0);
        assertThat(second).isNotDone();
        releaseFirst.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(effectsFor(orderId)).isEqualTo(1);
    }

    @Test
    void poisonRecordGoesToTheDeadLetterTopicAndTheNextRecordIsStillApplied() {
        double deadLettersBefore = deadLetters();
        OrderCreated poisonKey = orderCreated("customer-1");
        UUID poisonId = UUID.randomUUID();
        publisher.publishRaw(Topics.ORDER_EVENTS, poisonKey.orderId().toString(), poisonId, OrderCreated.TYPE.name(), "{not json");
        OrderCreated next = orderCreated("customer-1");
        publisher.publish(next, UUID.randomUUID(), poisonKey.orderId().toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> effectsFor(next.orderId()) == 1);
        ConsumerRecord<String, byte[]> dead = deadLetterFor(poisonKey.orderId());
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(new String(dead.headers().lastHeader(Headers.EVENT_ID).value(), StandardCharsets.UTF_8))
                .isEqualTo(poisonId.toString());
        // Every dead-lettered message counts, per topic: a stranded saga must show on a dashboard, not only in a log.
        assertThat(deadLetters()).isEqualTo(deadLettersBefore + 1);
    }

    private double deadLetters() {
        var counter = meters.find("messaging.dead.letters").tag("topic", Topics.ORDER_EVENTS).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void handlerThatKeepsFailingIsRetriedABoundedNumberOfTimesThenDeadLettered() {
        int attemptsBefore = handler.failedAttempts.get();
        OrderCreated failing = orderCreated(MessagingTestApplication.FAILING_CUSTOMER);
        publisher.publish(failing);
        OrderCreated next = orderCreated("customer-1");
        publisher.publish(next, UUID.randomUUID(), failing.orderId().toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> effectsFor(next.orderId()) == 1);
        assertThat(deadLetterFor(failing.orderId()).key()).isEqualTo(failing.orderId().toString());
        // One delivery plus max-retries=2 redeliveries, each rolled back: no effect survives.
        assertThat(handler.failedAttempts.get() - attemptsBefore).isEqualTo(3);
        assertThat(effectsFor(failing.orderId())).isZero();
    }

    @Test
    void serializationFailureReRunsTheWholeTransactionInPlaceAndAppliesItOnce() {
        double retriedBefore = databaseRetries("successful_with_retry");
        OrderCreated order = orderCreated(MessagingTestApplication.SERIALIZATION_FAILURE + "2");

        publisher.publish(order);

        await().atMost(Duration.ofSeconds(30)).until(() -> effectsFor(order.orderId()) == 1);
        // Two runs rolled back by 40001 (their inserts with them), the third committed; no redelivery needed.
        assertThat(handler.runs.get(order.orderId())).hasValue(3);
        assertThat(effectsFor(order.orderId())).isEqualTo(1);
        assertThat(databaseRetries("successful_with_retry")).isEqualTo(retriedBefore + 1);
    }

    @Test
    void transientFailureIsRedeliveredPastTheRetryBudgetInsteadOfDeadLettered() {
        // max-retries is 2 in this test's configuration: a bounded failure would be dead-lettered after 3 runs.
        OrderCreated order = orderCreated(MessagingTestApplication.UNAVAILABLE + "5");

        publisher.publish(order);

        await().atMost(Duration.ofSeconds(30)).until(() -> effectsFor(order.orderId()) == 1);
        assertThat(handler.runs.get(order.orderId())).hasValue(6);
        assertThat(effectsFor(order.orderId())).isEqualTo(1);
    }

    private double databaseRetries(String kind) {
        var counter = meters.find("resilience4j.retry.calls").tag("name", MessagingAutoConfiguration.DATABASE_RETRY)
                .tag("kind", kind).functionCounter();
        return counter == null ? 0 : counter.count();
    }

    private boolean applyOnce(UUID messageId, UUID orderId) {
        if (!inbox.markProcessed("race-test", messageId, "OrderCreated")) {
            return false;
        }
        jdbc.sql("insert into test_effect (message_id, order_id) values (?, ?)").params(messageId, orderId).update();
        return true;
    }

    private long effectsFor(UUID orderId) {
        return jdbc.sql("select count(*) from test_effect where order_id = ?").param(orderId).query(Long.class).single();
    }

    private static ConsumerRecord<String, byte[]> deadLetterFor(UUID orderId) {
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(Topics.deadLetter(Topics.ORDER_EVENTS)));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().anyMatch(r -> orderId.toString().equals(r.key()));
            });
            return seen.stream().filter(r -> orderId.toString().equals(r.key())).findFirst().orElseThrow();
        }
    }

    private static OrderCreated orderCreated(String customerId) {
        return new OrderCreated(UUID.randomUUID(), customerId,
                List.of(new OrderLine("SKU-1", 1, new BigDecimal("10.00"))), new BigDecimal("10.00"),
                SagaFlow.CHOREOGRAPHY, Instant.now());
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
