package dev.sagaplatform.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.contracts.inventory.StockRejected;
import dev.sagaplatform.contracts.order.OrderCreated;
import dev.sagaplatform.contracts.order.OrderTimedOut;
import dev.sagaplatform.contracts.saga.AuthorizePayment;
import dev.sagaplatform.contracts.saga.RefundPayment;
import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.payment.payment.domain.PaymentStatus;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.RelayLikePublisher;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The payment participant against real PostgreSQL and Kafka, with an HTTP gateway double: messages
 * go in as the relay would publish them, effects are read from the database and the outbox.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "platform.admin.user=ops",
        "platform.admin.password=test-secret",
        "payment.gateway.returns.poll-interval=100ms",
        "payment.gateway.returns.initial-backoff=50ms",
        "payment.gateway.returns.max-backoff=200ms",
        "payment.gateway.returns.refused-retry-interval=300ms"})
@RealInfrastructure
class PaymentParticipantTest {

    private static final GatewayDouble gateway = startGateway();
    private static final RelayLikePublisher publisher = RelayLikePublisher.onTestBroker(new MessageCodec()::toJson);
    private static final Duration PROCESSED = Duration.ofSeconds(30);
    private static final org.springframework.core.ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
            new org.springframework.core.ParameterizedTypeReference<>() { };

    @Autowired
    JdbcClient jdbc;
    @Autowired
    CircuitBreakerRegistry circuitBreakers;
    @LocalServerPort
    int port;

    private final MessageCodec codec = new MessageCodec();
    private String customer;

    @DynamicPropertySource
    static void gatewayUrl(DynamicPropertyRegistry registry) {
        registry.add("payment.gateway.base-url", gateway::baseUrl);
    }

    @AfterAll
    static void stop() {
        publisher.close();
        gateway.close();
    }

    @BeforeEach
    void newCustomerWithCredit() {
        gateway.reset();
        // Tests that fail the double on purpose must not open the breaker for the next one.
        circuitBreakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
        customer = "test-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("insert into customer (customer_id, name, credit_limit, available_credit) values (?, ?, 100.00, 100.00)")
                .params(customer, customer).update();
    }

    @Test
    void authorizedOrderIsChargedOnceAndDebitedEvenWhenTheEventArrivesTwice() {
        OrderCreated order = orderCreated(customer, "40.00");
        UUID eventId = UUID.randomUUID();

        publisher.publish(order, eventId);
        publisher.publish(order, eventId);
        OrderCreated marker = orderCreated(customer, "1.00");
        publisher.publish(marker);

        awaitPayment(marker.orderId());
        assertThat(paymentStatus(order.orderId())).isEqualTo("AUTHORIZED");
        assertThat(availableCredit()).isEqualByComparingTo("59.00");
        assertThat(outboxTypes(order.orderId())).containsExactly("PaymentAuthorized");
        assertThat(gateway.netCharged(order.orderId())).isEqualByComparingTo("40.00");
    }

    @Test
    void orderAboveTheAvailableCreditIsDeclinedWithoutTouchingTheGateway() {
        OrderCreated order = orderCreated(customer, "100.01");

        publisher.publish(order);

        awaitPayment(order.orderId());
        assertThat(paymentStatus(order.orderId())).isEqualTo("DECLINED");
        assertThat(jdbc.sql("select reason from payment where order_id = ?").param(order.orderId()).query(String.class).single())
                .isEqualTo("INSUFFICIENT_CREDIT");
        assertThat(outboxTypes(order.orderId())).containsExactly("PaymentDeclined");
        assertThat(gateway.chargeCalls).hasValue(0);
        assertThat(availableCredit()).isEqualByComparingTo("100.00");
    }

    /**
     * The interleaving the deterministic simulator found (docs/simulation.md): a first delivery charged the gateway and
     * crashed before it committed; by the redelivery other orders had spent the credit, so it declines for credit. The
     * charge the first delivery left must not stay with a declined order: the decline voids the order's key.
     */
    @Test
    void aDeclineForCreditGivesBackWhatAnEarlierCrashedDeliveryCharged() {
        OrderCreated order = orderCreated(customer, "100.01");
        gateway.charges.put("charge-" + order.orderId(), new BigDecimal("100.01")); // the crashed delivery's charge

        publisher.publish(order);

        awaitPayment(order.orderId());
        assertThat(paymentStatus(order.orderId())).isEqualTo("DECLINED");
        awaitReturnConfirmed(order.orderId());
        assertThat(gateway.netCharged(order.orderId())).isEqualByComparingTo("0");
        assertThat(availableCredit()).isEqualByComparingTo("100.00");
    }

    /** The largest total an order can have (100 lines of 1000 at the largest price) fits the payment's money type. */
    @Test
    void anOrderTotalAboveAnyCreditIsDeclinedNotDeadLettered() {
        OrderCreated order = orderCreated(customer, "999999999999999.99");

        publisher.publish(order);

        awaitPayment(order.orderId());
        assertThat(paymentStatus(order.orderId())).isEqualTo("DECLINED");
        assertThat(jdbc.sql("select amount from payment where order_id = ?").param(order.orderId()).query(BigDecimal.class).single())
                .isEqualByComparingTo("999999999999999.99");
    }

    @Test
    void gatewayFailingAfterTakingTheChargeEndsDeclinedAtOnceAndTheChargeIsVoidedInTheBackground() {
        gateway.failChargesAfterProcessing = true;
        OrderCreated order = orderCreated(customer, "30.00");

        publisher.publish(order);

        awaitPayment(order.orderId());
        assertThat(paymentStatus(order.orderId())).isEqualTo("DECLINED");
        assertThat(availableCredit()).isEqualByComparingTo("100.00");
        assertThat(outboxTypes(order.orderId())).containsExactly("PaymentDeclined");
        awaitReturnConfirmed(order.orderId());
        assertThat(gateway.netCharged(order.orderId())).isEqualByComparingTo("0");
    }

    @Test
    void aVoidTheGatewayCannotTakeIsRetriedInTheBackgroundWhileTheNextOrdersArePaid() {
        // The charge is taken but answered 503 on every attempt; so are the first four voids. The order is declined
        // at once, the void is retried from gateway_return, and the partition moves on: the next order is paid.
        gateway.failChargesAfterProcessing = true;
        gateway.refundsToFailAfterProcessing.set(4);
        OrderCreated order = orderCreated(customer, "30.00");
        publisher.publish(order);
        awaitPayment(order.orderId());
        assertThat(paymentStatus(order.orderId())).isEqualTo("DECLINED");
        gateway.failChargesAfterProcessing = false;

        OrderCreated next = orderCreated(customer, "10.00");
        publisher.publish(next);
        awaitPayment(next.orderId());

        assertThat(paymentStatus(next.orderId())).isEqualTo("AUTHORIZED");
        awaitReturnConfirmed(order.orderId());
        assertThat(gateway.refundCalls.get()).isGreaterThanOrEqualTo(5);
        assertThat(gateway.netCharged(order.orderId())).isEqualByComparingTo("0");
        assertThat(gateway.chargeCalls).as("three attempts for the first order, one for the next").hasValue(4);
        assertThat(availableCredit()).isEqualByComparingTo("90.00");
    }

    @Test
    void aRefundTheGatewayRefusesLeavesTheOrderDecidedAndGoesThroughOnceTheCauseIsFixed() {
        OrderCreated order = orderCreated(customer, "25.00");
        publisher.publish(order);
        awaitPayment(order.orderId());
        gateway.refuseRefunds = true;

        publisher.publish(new StockRejected(order.orderId(), RejectionReason.OUT_OF_STOCK, "SKU-1 short by 1"));

        // The saga goes on: refunded here, announced, credit back; the gateway side waits, counted and retried.
        await().atMost(PROCESSED).until(() -> outboxTypes(order.orderId()).contains("PaymentRefunded"));
        assertThat(paymentStatus(order.orderId())).isEqualTo("REFUNDED");
        assertThat(availableCredit()).isEqualByComparingTo("100.00");
        await().atMost(PROCESSED).until(() -> Boolean.TRUE.equals(jdbc.sql("select refused from gateway_return where order_id = ?")
                .param(order.orderId()).query(Boolean.class).optional().orElse(false)));
        assertThat(gateway.netCharged(order.orderId())).isEqualByComparingTo("25.00");

        gateway.refuseRefunds = false;

        awaitReturnConfirmed(order.orderId());
        assertThat(gateway.netCharged(order.orderId())).isEqualByComparingTo("0");
    }

    @Test
    void stockRejectionRefundsTheChargeAndRestoresCreditOnceThoughDeliveredTwice() {
        OrderCreated order = orderCreated(customer, "25.00");
        publisher.publish(order);
        awaitPayment(order.orderId());
        StockRejected rejected = new StockRejected(order.orderId(), RejectionReason.OUT_OF_STOCK, "SKU-1 short by 1");
        UUID eventId = UUID.randomUUID();

        publisher.publish(rejected, eventId);
        publisher.publish(rejected, eventId);
        publisher.publish(new StockRejected(order.orderId(), RejectionReason.OUT_OF_STOCK, "again"));

        // The third, different message finds the payment refunded and repeats the stored outcome.
        await().atMost(PROCESSED).until(() -> outboxTypes(order.orderId()).size() == 3);
        assertThat(paymentStatus(order.orderId())).isEqualTo("REFUNDED");
        assertThat(availableCredit()).isEqualByComparingTo("100.00");
        assertThat(outboxTypes(order.orderId())).containsExactly("PaymentAuthorized", "PaymentRefunded", "PaymentRefunded");
        awaitReturnConfirmed(order.orderId());
        assertThat(gateway.netCharged(order.orderId())).isEqualByComparingTo("0");
    }

    @Test
    void compensationBeforeAuthorizationVoidsSoALateAuthorizationFails() {
        UUID orderId = UUID.randomUUID();
        UUID sagaId = UUID.randomUUID();
        publisher.publish(new RefundPayment(UUID.randomUUID(), sagaId, orderId, customer, new BigDecimal("20.00")));
        await().atMost(PROCESSED).until(() -> "VOIDED".equals(paymentStatus(orderId)));

        publisher.publish(new AuthorizePayment(UUID.randomUUID(), sagaId, orderId, customer, new BigDecimal("20.00")));

        await().atMost(PROCESSED).until(() -> outboxTypes(orderId).size() == 2);
        assertThat(jdbc.sql("select payload->>'outcome' from outbox where aggregateid = ? order by created_at")
                .param(orderId.toString()).query(String.class).list()).containsExactly("SUCCESS", "FAILURE");
        assertThat(availableCredit()).isEqualByComparingTo("100.00");
        assertThat(gateway.chargeCalls).hasValue(0);
    }

    @Test
    void timedOutChoreographedOrderIsRefundedOnceAndAnnounced() {
        OrderCreated order = orderCreated(customer, "30.00");
        publisher.publish(order);
        awaitPayment(order.orderId());
        OrderTimedOut timedOut = new OrderTimedOut(order.orderId(), customer, order.items(), order.total());
        UUID eventId = UUID.randomUUID();

        publisher.publish(timedOut, eventId);
        publisher.publish(timedOut, eventId);
        publisher.publish(timedOut);

        // The duplicate is ignored; the third, different message finds the refund done and repeats its announcement.
        await().atMost(PROCESSED).until(() -> outboxTypes(order.orderId()).size() == 3);
        assertThat(outboxTypes(order.orderId())).containsExactly("PaymentAuthorized", "PaymentRefunded", "PaymentRefunded");
        assertThat(paymentStatus(order.orderId())).isEqualTo("REFUNDED");
        assertThat(jdbc.sql("select reason from payment where order_id = ?").param(order.orderId()).query(String.class).single())
                .isEqualTo("TIMED_OUT");
        assertThat(availableCredit()).isEqualByComparingTo("100.00");
        awaitReturnConfirmed(order.orderId());
        assertThat(gateway.netCharged(order.orderId())).isEqualByComparingTo("0");
    }

    @Test
    void timedOutOrderWhoseCreationWasNeverAppliedIsVoidedSoAReplayedCreationDeclines() {
        OrderCreated order = orderCreated(customer, "30.00");
        publisher.publish(new OrderTimedOut(order.orderId(), customer, order.items(), order.total()));
        await().atMost(PROCESSED).until(() -> "VOIDED".equals(paymentStatus(order.orderId())));

        // The dead-lettered OrderCreated, replayed by an operator after the deadline passed.
        publisher.publish(order);

        await().atMost(PROCESSED).until(() -> outboxTypes(order.orderId()).contains("PaymentDeclined"));
        assertThat(paymentStatus(order.orderId())).isEqualTo("VOIDED");
        assertThat(availableCredit()).isEqualByComparingTo("100.00");
        assertThat(gateway.chargeCalls).hasValue(0);
    }

    @Test
    void customerEndpointsAnswerTheContractShapes() {
        RestClient http = RestClient.create("http://localhost:" + port);

        Map<String, Object> one = http.get().uri("/customers/{id}", customer).retrieve().body(JSON_OBJECT);
        assertThat(one).containsEntry("customerId", customer).containsKeys("creditLimit", "availableCredit");
        Map<String, Object> page = http.get().uri("/customers?size=2").retrieve().body(JSON_OBJECT);
        assertThat(page).containsKeys("content", "page");
        assertThat(page.get("page")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKeys("size", "number", "totalElements", "totalPages");
        var missing = http.get().uri("/customers/nobody").retrieve().onStatus(s -> true, (req, res) -> { })
                .toEntity(String.class);
        assertThat(missing.getStatusCode().value()).isEqualTo(404);
        assertThat(missing.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(missing.getBody()).contains("https://saga-platform.dev/problems/unknown-customer");
    }

    @Test
    void aCustomerCreatedThroughTheAdminApiPaysLikeASeededOne() {
        String created = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        RestClient.create("http://localhost:" + port).put().uri("/customers/{id}", created)
                .headers(headers -> headers.setBasicAuth("ops", "test-secret"))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body("{\"creditLimit\": 50.00}").retrieve().toBodilessEntity();
        OrderCreated fits = orderCreated(created, "30.00");
        OrderCreated tooMuch = orderCreated(created, "20.01");

        publisher.publish(fits);
        awaitPayment(fits.orderId());
        publisher.publish(tooMuch);
        awaitPayment(tooMuch.orderId());

        assertThat(paymentStatus(fits.orderId())).isEqualTo("AUTHORIZED");
        assertThat(paymentStatus(tooMuch.orderId())).isEqualTo("DECLINED");
        assertThat(jdbc.sql("select available_credit from customer where customer_id = ?").param(created)
                .query(BigDecimal.class).single()).isEqualByComparingTo("20.00");
    }

    private OrderCreated orderCreated(String customerId, String total) {
        return new OrderCreated(UUID.randomUUID(), customerId,
                List.of(new OrderLine("SKU-1", 1, new BigDecimal(total))), new BigDecimal(total),
                SagaFlow.CHOREOGRAPHY, Instant.now());
    }

    /** GatewayReturns deletes a return once the gateway has confirmed it. */
    private void awaitReturnConfirmed(UUID orderId) {
        await().atMost(PROCESSED).until(() -> jdbc.sql("select count(*) from gateway_return where order_id = ?")
                .param(orderId).query(Long.class).single() == 0);
    }

    private void awaitPayment(UUID orderId) {
        await().atMost(PROCESSED).until(() -> paymentStatus(orderId) != null);
    }

    private String paymentStatus(UUID orderId) {
        return jdbc.sql("select status from payment where order_id = ?").param(orderId).query(String.class).optional().orElse(null);
    }

    private BigDecimal availableCredit() {
        return jdbc.sql("select available_credit from customer where customer_id = ?").param(customer).query(BigDecimal.class).single();
    }

    private List<String> outboxTypes(UUID orderId) {
        return jdbc.sql("select type from outbox where aggregateid = ? order by created_at")
                .param(orderId.toString()).query(String.class).list();
    }

    private static GatewayDouble startGateway() {
        try {
            return new GatewayDouble();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
