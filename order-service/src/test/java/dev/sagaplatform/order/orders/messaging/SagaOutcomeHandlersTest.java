package dev.sagaplatform.order.orders.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.contracts.inventory.StockReserved;
import dev.sagaplatform.contracts.order.OrderApproved;
import dev.sagaplatform.contracts.order.OrderRejected;
import dev.sagaplatform.contracts.payment.PaymentDeclined;
import dev.sagaplatform.contracts.payment.PaymentRefunded;
import dev.sagaplatform.contracts.saga.ApproveOrder;
import dev.sagaplatform.contracts.saga.RejectOrder;
import dev.sagaplatform.contracts.saga.SagaReply;
import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.messaging.inbox.ProcessedMessages;
import dev.sagaplatform.order.orders.OrderPlacement;
import dev.sagaplatform.order.orders.domain.Order;
import dev.sagaplatform.order.orders.domain.OrderRequest;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.RelayLikePublisher;
import dev.sagaplatform.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Saga outcomes against a real broker and database: records are produced exactly as the outbox
 * relay publishes them (topic of the type, key = order id, event-id and event-type headers).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "platform.messaging.consumer.initial-interval=50ms",
        "platform.messaging.consumer.max-interval=100ms",
        "platform.messaging.consumer.jitter=10ms",
        "platform.messaging.consumer.max-retries=1",
        "platform.messaging.retention.enabled=false"})
@RealInfrastructure
class SagaOutcomeHandlersTest {

    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static RelayLikePublisher publisher;
    private final MessageCodec codec = new MessageCodec();

    @Autowired
    OrderPlacement placement;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ProcessedMessages inbox;
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
    void stockReservedApprovesTheOrderAndAnnouncesIt() {
        Order order = pendingOrder(SagaFlow.CHOREOGRAPHY);
        double approvedBefore = counter("orders.approved");
        long timedBefore = sagaDurations(SagaFlow.CHOREOGRAPHY, "StockReserved");

        deliverAndAwait(new StockReserved(order.id(), order.created().items()));

        assertThat(status(order)).isEqualTo("APPROVED");
        assertThat(outboxTypes(order)).containsExactly("OrderCreated", "OrderApproved");
        OrderApproved approved = (OrderApproved) outboxMessages(order, "OrderApproved").get(0);
        assertThat(approved.total()).isEqualByComparingTo(order.total());
        assertThat(approved.customerId()).isEqualTo(order.customerId());
        assertThat(counter("orders.approved")).isEqualTo(approvedBefore + 1);
        // Recorded after commit, an instant after the inbox row becomes visible.
        await().atMost(SETTLE).until(() -> sagaDurations(SagaFlow.CHOREOGRAPHY, "StockReserved") == timedBefore + 1);
    }

    @Test
    void paymentDeclinedRejectsWithTheEventsReason() {
        Order order = pendingOrder(SagaFlow.CHOREOGRAPHY);

        deliverAndAwait(new PaymentDeclined(order.id(), order.customerId(), order.total(),
                RejectionReason.INSUFFICIENT_CREDIT, "available credit 5.00, order total 20.00"));

        assertRejected(order, RejectionReason.INSUFFICIENT_CREDIT, "available credit 5.00, order total 20.00");
        assertThat(outboxTypes(order)).containsExactly("OrderCreated", "OrderRejected");
        OrderRejected rejected = (OrderRejected) outboxMessages(order, "OrderRejected").get(0);
        assertThat(rejected.reason()).isEqualTo(RejectionReason.INSUFFICIENT_CREDIT);
        assertThat(rejected.reasonDetail()).isEqualTo("available credit 5.00, order total 20.00");
    }

    @Test
    void paymentRefundedRejectsWithTheReasonOfTheStepThatFailed() {
        Order order = pendingOrder(SagaFlow.CHOREOGRAPHY);

        deliverAndAwait(new PaymentRefunded(order.id(), order.customerId(), order.total(),
                RejectionReason.OUT_OF_STOCK, "SKU-1: 2 requested, 1 available"));

        assertRejected(order, RejectionReason.OUT_OF_STOCK, "SKU-1: 2 requested, 1 available");
        assertThat(outboxTypes(order)).containsExactly("OrderCreated", "OrderRejected");
    }

    @Test
    void approveOrderCommandApprovesAndReplies() {
        Order order = pendingOrder(SagaFlow.ORCHESTRATION);
        ApproveOrder command = new ApproveOrder(UUID.randomUUID(), UUID.randomUUID(), order.id());

        deliverAndAwait(command);

        assertThat(status(order)).isEqualTo("APPROVED");
        assertThat(outboxTypes(order)).containsExactly("OrderCreated", "OrderApproved", "SagaReply");
        assertThat(replies(order)).containsExactly(SagaReply.success(command));
    }

    @Test
    void rejectOrderCommandRejectsWithItsReasonAndReplies() {
        Order order = pendingOrder(SagaFlow.ORCHESTRATION);
        RejectOrder command = new RejectOrder(UUID.randomUUID(), UUID.randomUUID(), order.id(),
                RejectionReason.TIMED_OUT, "ReserveStock timed out after 30s");

        deliverAndAwait(command);

        assertRejected(order, RejectionReason.TIMED_OUT, "ReserveStock timed out after 30s");
        assertThat(outboxTypes(order)).containsExactly("OrderCreated", "OrderRejected", "SagaReply");
        assertThat(replies(order)).containsExactly(SagaReply.success(command));
    }

    @Test
    void duplicateDeliveryIsAppliedOnce() {
        Order order = pendingOrder(SagaFlow.CHOREOGRAPHY);
        StockReserved event = new StockReserved(order.id(), order.created().items());
        UUID eventId = UUID.randomUUID();

        publisher.publish(event, eventId);
        publisher.publish(event, eventId);
        // The same event again under a new id, as a re-snapshot would send it; same topic and key, so
        // once it is processed both copies before it were too.
        deliverAndAwait(event);

        assertThat(inbox.isProcessed("order-service", eventId)).isTrue();
        assertThat(status(order)).isEqualTo("APPROVED");
        assertThat(outboxTypes(order)).containsExactly("OrderCreated", "OrderApproved");
    }

    @Test
    void eventForAnOrderThatAlreadyEndedChangesNothing() {
        Order order = pendingOrder(SagaFlow.CHOREOGRAPHY);
        deliverAndAwait(new PaymentDeclined(order.id(), order.customerId(), order.total(),
                RejectionReason.INSUFFICIENT_CREDIT, "no credit"));
        Instant rejectedAt = updatedAt(order);

        deliverAndAwait(new StockReserved(order.id(), order.created().items()));
        deliverAndAwait(new PaymentRefunded(order.id(), order.customerId(), order.total(), RejectionReason.OUT_OF_STOCK, "late"));

        assertRejected(order, RejectionReason.INSUFFICIENT_CREDIT, "no credit");
        assertThat(updatedAt(order)).isEqualTo(rejectedAt);
        assertThat(outboxTypes(order)).containsExactly("OrderCreated", "OrderRejected");
    }

    @Test
    void resentCommandFindsTheOrderDoneAndIsAnsweredAgain() {
        Order order = pendingOrder(SagaFlow.ORCHESTRATION);
        UUID sagaId = UUID.randomUUID();
        ApproveOrder first = new ApproveOrder(UUID.randomUUID(), sagaId, order.id());
        ApproveOrder resent = new ApproveOrder(UUID.randomUUID(), sagaId, order.id());

        deliverAndAwait(first);
        deliverAndAwait(resent);

        assertThat(status(order)).isEqualTo("APPROVED");
        assertThat(outboxTypes(order)).containsExactly("OrderCreated", "OrderApproved", "SagaReply", "SagaReply");
        assertThat(replies(order)).containsExactly(SagaReply.success(first), SagaReply.success(resent));
    }

    @Test
    void commandContradictingTheFinalStateIsRefusedAndChangesNothing() {
        Order order = pendingOrder(SagaFlow.ORCHESTRATION);
        UUID sagaId = UUID.randomUUID();
        RejectOrder reject = new RejectOrder(UUID.randomUUID(), sagaId, order.id(), RejectionReason.PAYMENT_FAILED, "card declined");
        ApproveOrder approve = new ApproveOrder(UUID.randomUUID(), sagaId, order.id());

        deliverAndAwait(reject);
        deliverAndAwait(approve);

        assertRejected(order, RejectionReason.PAYMENT_FAILED, "card declined");
        List<SagaReply> replies = replies(order);
        assertThat(replies).hasSize(2);
        assertThat(replies.get(1).commandId()).isEqualTo(approve.commandId());
        assertThat(replies.get(1).outcome()).isEqualTo(SagaReply.Outcome.FAILURE);
        assertThat(replies.get(1).reason()).isEqualTo(RejectionReason.PAYMENT_FAILED);
        assertThat(outboxTypes(order)).doesNotContain("OrderApproved");
    }

    @Test
    void messageForAnUnknownOrderIsDeadLetteredAndTheNextOneIsStillApplied() {
        UUID unknownOrder = UUID.randomUUID();
        Order order = pendingOrder(SagaFlow.CHOREOGRAPHY);

        double deadLettersBefore = meters.get("messaging.dead.letters").tag("topic", StockReserved.TYPE.topic())
                .tag("service", "order-service").counter().count();

        publisher.publish(new StockReserved(unknownOrder, List.of()));
        deliverAndAwait(new StockReserved(order.id(), order.created().items()));

        assertThat(status(order)).isEqualTo("APPROVED");
        assertThat(deadLetterKeys(Topics.deadLetter(StockReserved.TYPE.topic()), unknownOrder)).contains(unknownOrder.toString());
        assertThat(meters.get("messaging.dead.letters").tag("topic", StockReserved.TYPE.topic()).tag("service", "order-service")
                .counter().count()).isEqualTo(deadLettersBefore + 1);
        assertThat(jdbc.sql("select count(*) from outbox where aggregateid = ?").param(unknownOrder.toString())
                .query(Long.class).single()).isZero();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private Order pendingOrder(SagaFlow flow) {
        OrderRequest request = new OrderRequest("customer-" + UUID.randomUUID(),
                List.of(new OrderRequest.RequestedItem("SKU-1", 2)), flow);
        Order order = Order.place(UUID.randomUUID(), request, Map.of("SKU-1", new BigDecimal("10.00")),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        transactions.executeWithoutResult(status -> placement.save(order));
        return order;
    }

    /** Orders of that flow timed from creation to {@code endedBy} (orders_saga_duration_seconds_count). */
    private long sagaDurations(SagaFlow flow, String endedBy) {
        return meters.get("orders.saga.duration").tag("flow", flow.name()).tag("ended_by", endedBy).timer().count();
    }

    private void deliverAndAwait(Message message) {
        UUID eventId = UUID.randomUUID();
        publisher.publish(message, eventId);
        await().atMost(SETTLE).until(() -> inbox.isProcessed("order-service", eventId));
    }

    private void assertRejected(Order order, RejectionReason reason, String detail) {
        Map<String, Object> row = jdbc.sql("select status, reason, reason_detail from orders where id = ?")
                .param(order.id()).query().singleRow();
        assertThat(row).containsEntry("status", "REJECTED").containsEntry("reason", reason.name())
                .containsEntry("reason_detail", detail);
    }

    private String status(Order order) {
        return jdbc.sql("select status from orders where id = ?").param(order.id()).query(String.class).single();
    }

    private Instant updatedAt(Order order) {
        return jdbc.sql("select updated_at from orders where id = ?").param(order.id())
                .query(Timestamp.class).single().toInstant();
    }

    private List<String> outboxTypes(Order order) {
        return jdbc.sql("select type from outbox where aggregateid = ? order by created_at, id")
                .param(order.id().toString()).query(String.class).list();
    }

    private List<Message> outboxMessages(Order order, String type) {
        return jdbc.sql("select payload::text from outbox where aggregateid = ? and type = ? order by created_at")
                .params(order.id().toString(), type).query(String.class).list().stream()
                .map(payload -> codec.fromJson(type, payload)).toList();
    }

    private List<SagaReply> replies(Order order) {
        return outboxMessages(order, SagaReply.TYPE.name()).stream().map(SagaReply.class::cast).toList();
    }

    private double counter(String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static List<String> deadLetterKeys(String topic, UUID expectedKey) {
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.get().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            List<String> keys = new ArrayList<>();
            await().atMost(SETTLE).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(record.key());
                }
                return keys.contains(expectedKey.toString());
            });
            return keys;
        }
    }
}
