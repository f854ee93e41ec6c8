package dev.sagaplatform.order.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.contracts.order.OrderTimedOut;
import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.order.orders.domain.Order;
import dev.sagaplatform.order.orders.domain.OrderRequest;
import dev.sagaplatform.testsupport.RealInfrastructure;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The choreographed flow's deadline against a real database: an order that never heard from its
 * participants ends {@code TIMED_OUT} and asks them to compensate, once; nothing else is touched.
 * Orders are placed with a creation time in the past instead of waiting for the deadline to pass.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "platform.messaging.consumer.initial-interval=50ms",
        "platform.messaging.consumer.max-interval=100ms",
        "platform.messaging.consumer.jitter=10ms",
        "platform.messaging.consumer.max-retries=1",
        "platform.messaging.retention.enabled=false"})
@RealInfrastructure
class ChoreographyDeadlineTest {

    @Autowired
    ChoreographyDeadline deadline;
    @Autowired
    OrderOutcomes outcomes;
    @Autowired
    OrderPlacement placement;
    @Autowired
    OrderProperties properties;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcClient jdbc;

    private final MessageCodec codec = new MessageCodec();

    @Test
    void overdueChoreographedOrderEndsTimedOutAndAsksEveryParticipantToCompensateOnce() {
        Order order = placed(SagaFlow.CHOREOGRAPHY, overdue());

        deadline.endOverdueOrders();
        deadline.endOverdueOrders();

        Map<String, Object> row = jdbc.sql("select status, reason from orders where id = ?").param(order.id()).query().singleRow();
        assertThat(row).containsEntry("status", "REJECTED").containsEntry("reason", "TIMED_OUT");
        assertThat(outboxTypes(order)).containsExactly("OrderCreated", "OrderRejected", "OrderTimedOut");
        OrderTimedOut timedOut = (OrderTimedOut) codec.fromJson("OrderTimedOut", jdbc.sql(
                "select payload::text from outbox where aggregateid = ? and type = 'OrderTimedOut'")
                .param(order.id().toString()).query(String.class).single());
        assertThat(timedOut.total()).isEqualByComparingTo(order.total());
        assertThat(timedOut.customerId()).isEqualTo(order.customerId());
        assertThat(timedOut.items()).isEqualTo(order.created().items());
    }

    @Test
    void anOrderThatEndedMeanwhileIsLeftAsItIs() {
        Order order = placed(SagaFlow.CHOREOGRAPHY, overdue());
        transactions.executeWithoutResult(status -> outcomes.approve(order.id(), "StockReserved"));

        deadline.endOverdueOrders();

        assertThat(status(order)).isEqualTo("APPROVED");
        assertThat(outboxTypes(order)).containsExactly("OrderCreated", "OrderApproved");
    }

    @Test
    void youngOrdersAndOrchestratedOrdersAreNotTheDeadlinesBusiness() {
        Order young = placed(SagaFlow.CHOREOGRAPHY, Instant.now());
        Order orchestrated = placed(SagaFlow.ORCHESTRATION, overdue());

        deadline.endOverdueOrders();

        assertThat(status(young)).isEqualTo("PENDING");
        assertThat(status(orchestrated)).isEqualTo("PENDING");
        assertThat(outboxTypes(orchestrated)).containsExactly("OrderCreated");
        // Leave nothing PENDING behind for other tests sharing this database.
        transactions.executeWithoutResult(status -> {
            outcomes.reject(young.id(), RejectionReason.PAYMENT_FAILED, "test clean-up", "test");
            outcomes.reject(orchestrated.id(), RejectionReason.PAYMENT_FAILED, "test clean-up", "test");
        });
    }

    private Instant overdue() {
        return Instant.now().minus(properties.choreography().deadline()).minus(Duration.ofMinutes(1));
    }

    private Order placed(SagaFlow flow, Instant createdAt) {
        OrderRequest request = new OrderRequest("customer-" + UUID.randomUUID(),
                List.of(new OrderRequest.RequestedItem("SKU-1", 2)), flow);
        Order order = Order.place(UUID.randomUUID(), request, Map.of("SKU-1", new BigDecimal("10.00")),
                createdAt.truncatedTo(ChronoUnit.MICROS));
        transactions.executeWithoutResult(status -> placement.save(order));
        return order;
    }

    private String status(Order order) {
        return jdbc.sql("select status from orders where id = ?").param(order.id()).query(String.class).single();
    }

    private List<String> outboxTypes(Order order) {
        return jdbc.sql("select type from outbox where aggregateid = ? order by created_at, id")
                .param(order.id().toString()).query(String.class).list();
    }
}
