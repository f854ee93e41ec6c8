package dev.sagaplatform.order.orders.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.contracts.order.OrderCreated;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderTest {

    private static final Instant PLACED = Instant.parse("2025-01-01T10:00:00Z");
    private static final Instant LATER = Instant.parse("2025-01-01T10:00:05Z");

    @Test
    void placingPricesEveryLineAndTotalsToCents() {
        Order order = pending(Map.of("A", new BigDecimal("19.99"), "B", new BigDecimal("0.5")));

        assertThat(order.status()).isEqualTo(OrderStatus.PENDING);
        assertThat(order.items()).containsExactly(
                new OrderItem("A", 3, new BigDecimal("19.99"), new BigDecimal("59.97")),
                new OrderItem("B", 2, new BigDecimal("0.50"), new BigDecimal("1.00")));
        assertThat(order.total()).isEqualTo(new BigDecimal("60.97"));
        assertThat(order.createdAt()).isEqualTo(PLACED).isEqualTo(order.updatedAt());
    }

    @Test
    void subCentCataloguePricesAreRoundedOnceHalfUp() {
        Order order = pending(Map.of("A", new BigDecimal("0.125"), "B", new BigDecimal("1")));

        assertThat(order.items().get(0).unitPrice()).isEqualTo(new BigDecimal("0.13"));
        assertThat(order.total()).isEqualTo(new BigDecimal("2.39"));
    }

    @Test
    void refusesToPlaceAnOrderWithAnUnpricedSku() {
        assertThatThrownBy(() -> pending(Map.of("A", BigDecimal.ONE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SKU B");
    }

    @Test
    void createdEventCarriesLinesWithUnitPricesTotalAndFlow() {
        Order order = pending(Map.of("A", new BigDecimal("19.99"), "B", new BigDecimal("0.50")));

        OrderCreated created = order.created();

        assertThat(created.orderId()).isEqualTo(order.id());
        assertThat(created.items()).containsExactly(new OrderLine("A", 3, new BigDecimal("19.99")),
                new OrderLine("B", 2, new BigDecimal("0.50")));
        assertThat(created.total()).isEqualTo(new BigDecimal("60.97"));
        assertThat(created.flow()).isEqualTo(SagaFlow.ORCHESTRATION);
        assertThat(created.createdAt()).isEqualTo(PLACED);
    }

    @Test
    void pendingOrderIsApproved() {
        Order order = pending();

        assertThat(order.approve(LATER)).isEqualTo(TransitionResult.CHANGED);

        assertThat(order.status()).isEqualTo(OrderStatus.APPROVED);
        assertThat(order.updatedAt()).isEqualTo(LATER);
        assertThat(order.approved().total()).isEqualTo(order.total());
    }

    @Test
    void pendingOrderIsRejectedWithReasonAndDetail() {
        Order order = pending();

        assertThat(order.reject(RejectionReason.OUT_OF_STOCK, "B: 2 requested, 1 available", LATER))
                .isEqualTo(TransitionResult.CHANGED);

        assertThat(order.status()).isEqualTo(OrderStatus.REJECTED);
        assertThat(order.rejected().reason()).isEqualTo(RejectionReason.OUT_OF_STOCK);
        assertThat(order.rejected().reasonDetail()).isEqualTo("B: 2 requested, 1 available");
    }

    @Test
    void approvingTwiceChangesNothingTheSecondTime() {
        Order order = pending();
        order.approve(LATER);

        assertThat(order.approve(LATER.plusSeconds(1))).isEqualTo(TransitionResult.ALREADY_IN_STATE);
        assertThat(order.updatedAt()).isEqualTo(LATER);
    }

    @Test
    void secondRejectionKeepsTheFirstReason() {
        Order order = pending();
        order.reject(RejectionReason.INSUFFICIENT_CREDIT, "limit reached", LATER);

        assertThat(order.reject(RejectionReason.TIMED_OUT, "late", LATER.plusSeconds(1)))
                .isEqualTo(TransitionResult.ALREADY_IN_STATE);
        assertThat(order.reason()).isEqualTo(RejectionReason.INSUFFICIENT_CREDIT);
        assertThat(order.reasonDetail()).isEqualTo("limit reached");
    }

    @Test
    void finalStatesNeverFlip() {
        Order approved = pending();
        approved.approve(LATER);
        Order rejected = pending();
        rejected.reject(RejectionReason.PAYMENT_FAILED, null, LATER);

        assertThat(approved.reject(RejectionReason.OUT_OF_STOCK, "late", LATER)).isEqualTo(TransitionResult.CONFLICTS_WITH_FINAL_STATE);
        assertThat(rejected.approve(LATER)).isEqualTo(TransitionResult.CONFLICTS_WITH_FINAL_STATE);
        assertThat(approved.status()).isEqualTo(OrderStatus.APPROVED);
        assertThat(approved.reason()).isNull();
        assertThat(rejected.status()).isEqualTo(OrderStatus.REJECTED);
    }

    @Test
    void outcomeEventsExistOnlyForTheMatchingState() {
        Order order = pending();

        assertThatThrownBy(order::approved).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(order::rejected).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void overlongRejectionDetailIsCut() {
        Order order = pending();

        order.reject(RejectionReason.PAYMENT_FAILED, "x".repeat(5000), LATER);

        assertThat(order.reasonDetail()).hasSize(Order.MAX_REASON_DETAIL_LENGTH).endsWith("…");
    }

    private static Order pending() {
        return pending(Map.of("A", new BigDecimal("19.99"), "B", new BigDecimal("0.50")));
    }

    private static Order pending(Map<String, BigDecimal> prices) {
        OrderRequest request = new OrderRequest("customer-1",
                List.of(new OrderRequest.RequestedItem("A", 3), new OrderRequest.RequestedItem("B", 2)),
                SagaFlow.ORCHESTRATION);
        return Order.place(UUID.randomUUID(), request, prices, PLACED);
    }
}
