package dev.sagaplatform.order.orders.domain;

import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.contracts.order.OrderApproved;
import dev.sagaplatform.contracts.order.OrderCreated;
import dev.sagaplatform.contracts.order.OrderRejected;
import dev.sagaplatform.contracts.order.OrderTimedOut;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The order and its state machine: {@code PENDING} → {@code APPROVED} | {@code REJECTED}, and
 * nothing after that. Whatever the saga sends later (duplicates, late or contradicting messages)
 * leaves a final order as it is, so the outcome a client saw never changes.
 */
public final class Order {

    /** Longer saga details are cut: they are for humans, and one runaway message must not fail the update. */
    public static final int MAX_REASON_DETAIL_LENGTH = 1000;

    private final UUID id;
    private final String customerId;
    private final List<OrderItem> items;
    private final BigDecimal total;
    private final SagaFlow flow;
    private final Instant createdAt;
    private OrderStatus status;
    private RejectionReason reason;
    private String reasonDetail;
    private Instant updatedAt;

    private Order(UUID id, String customerId, List<OrderItem> items, BigDecimal total, SagaFlow flow,
                  Instant createdAt, OrderStatus status, RejectionReason reason, String reasonDetail, Instant updatedAt) {
        this.id = Objects.requireNonNull(id, "id");
        this.customerId = Objects.requireNonNull(customerId, "customerId");
        this.items = List.copyOf(items);
        this.total = Objects.requireNonNull(total, "total");
        this.flow = Objects.requireNonNull(flow, "flow");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.status = Objects.requireNonNull(status, "status");
        this.reason = reason;
        this.reasonDetail = reasonDetail;
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * A new {@code PENDING} order priced from the catalogue. Money is kept to cents: unit prices are
     * rounded half-up to 2 decimals once, here, so that every later step charges the same amount.
     *
     * @param request    a request that passed {@link OrderRequest#validate()}
     * @param unitPrices catalogue price of every requested SKU
     * @throws IllegalArgumentException if a SKU has no price or a negative one
     */
    public static Order place(UUID id, OrderRequest request, Map<String, BigDecimal> unitPrices, Instant now) {
        List<OrderItem> items = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO.setScale(2);
        for (OrderRequest.RequestedItem requested : request.items()) {
            BigDecimal price = unitPrices.get(requested.sku());
            if (price == null || price.signum() < 0) {
                throw new IllegalArgumentException("no valid price for SKU " + requested.sku() + ": " + price);
            }
            BigDecimal unitPrice = price.setScale(2, RoundingMode.HALF_UP);
            BigDecimal lineTotal = unitPrice.multiply(BigDecimal.valueOf(requested.quantity()));
            items.add(new OrderItem(requested.sku(), requested.quantity(), unitPrice, lineTotal));
            total = total.add(lineTotal);
        }
        return new Order(id, request.customerId(), items, total, request.flow(), now, OrderStatus.PENDING, null, null, now);
    }

    /** An order as it was stored. */
    public static Order restore(UUID id, String customerId, List<OrderItem> items, BigDecimal total, SagaFlow flow,
                                Instant createdAt, OrderStatus status, RejectionReason reason, String reasonDetail,
                                Instant updatedAt) {
        return new Order(id, customerId, items, total, flow, createdAt, status, reason, reasonDetail, updatedAt);
    }

    public TransitionResult approve(Instant now) {
        return moveTo(OrderStatus.APPROVED, null, null, now);
    }

    /** The first rejection's reason stays: a later one cannot rewrite why the order failed. */
    public TransitionResult reject(RejectionReason rejectionReason, String detail, Instant now) {
        Objects.requireNonNull(rejectionReason, "a rejection needs a reason");
        return moveTo(OrderStatus.REJECTED, rejectionReason, truncate(detail), now);
    }

    private TransitionResult moveTo(OrderStatus target, RejectionReason newReason, String newDetail, Instant now) {
        if (status == target) {
            return TransitionResult.ALREADY_IN_STATE;
        }
        if (status.isTerminal()) {
            return TransitionResult.CONFLICTS_WITH_FINAL_STATE;
        }
        status = target;
        reason = newReason;
        reasonDetail = newDetail;
        updatedAt = now;
        return TransitionResult.CHANGED;
    }

    private static String truncate(String detail) {
        return detail == null || detail.length() <= MAX_REASON_DETAIL_LENGTH
                ? detail : detail.substring(0, MAX_REASON_DETAIL_LENGTH - 1) + "…";
    }

    /** @throws IllegalStateException unless the order is {@code REJECTED} with {@code TIMED_OUT} */
    public OrderTimedOut timedOut() {
        requireStatus(OrderStatus.REJECTED);
        if (reason != RejectionReason.TIMED_OUT) {
            throw new IllegalStateException("order " + id + " was rejected for " + reason + ", not TIMED_OUT");
        }
        return new OrderTimedOut(id, customerId, lines(), total);
    }

    private List<OrderLine> lines() {
        return items.stream().map(item -> new OrderLine(item.sku(), item.quantity(), item.unitPrice())).toList();
    }

    public OrderCreated created() {
        return new OrderCreated(id, customerId, lines(), total, flow, createdAt);
    }

    /** @throws IllegalStateException unless the order is {@code APPROVED} */
    public OrderApproved approved() {
        requireStatus(OrderStatus.APPROVED);
        return new OrderApproved(id, customerId, total);
    }

    /** @throws IllegalStateException unless the order is {@code REJECTED} */
    public OrderRejected rejected() {
        requireStatus(OrderStatus.REJECTED);
        return new OrderRejected(id, customerId, reason, reasonDetail);
    }

    private void requireStatus(OrderStatus expected) {
        if (status != expected) {
            throw new IllegalStateException("order " + id + " is " + status + ", not " + expected);
        }
    }

    public UUID id() {
        return id;
    }

    public String customerId() {
        return customerId;
    }

    public List<OrderItem> items() {
        return items;
    }

    public BigDecimal total() {
        return total;
    }

    public SagaFlow flow() {
        return flow;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public OrderStatus status() {
        return status;
    }

    public RejectionReason reason() {
        return reason;
    }

    public String reasonDetail() {
        return reasonDetail;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
