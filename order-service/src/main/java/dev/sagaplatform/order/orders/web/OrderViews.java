package dev.sagaplatform.order.orders.web;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.order.orders.domain.Order;
import dev.sagaplatform.order.orders.domain.OrderItem;
import dev.sagaplatform.order.orders.domain.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** JSON shapes of the API; field order is the order of the record components. */
final class OrderViews {

    private OrderViews() {
    }

    /** The 202 answer to {@code POST /orders}, stored and replayed as it was first sent. */
    record OrderAccepted(UUID orderId, OrderStatus status, String customerId, SagaFlow flow, BigDecimal total,
                         List<ItemView> items, Instant createdAt) {

        static OrderAccepted of(Order order) {
            return new OrderAccepted(order.id(), order.status(), order.customerId(), order.flow(), order.total(),
                    ItemView.of(order.items()), order.createdAt());
        }
    }

    /** {@code GET /orders/{id}} and the elements of {@code GET /orders}. */
    record OrderView(UUID orderId, String customerId, OrderStatus status, RejectionReason reason, String reasonDetail,
                     SagaFlow flow, BigDecimal total, List<ItemView> items, Instant createdAt, Instant updatedAt) {

        static OrderView of(Order order) {
            return new OrderView(order.id(), order.customerId(), order.status(), order.reason(), order.reasonDetail(),
                    order.flow(), order.total(), ItemView.of(order.items()), order.createdAt(), order.updatedAt());
        }
    }

    record ItemView(String sku, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {

        static List<ItemView> of(List<OrderItem> items) {
            return items.stream()
                    .map(item -> new ItemView(item.sku(), item.quantity(), item.unitPrice(), item.lineTotal()))
                    .toList();
        }
    }
}
