package dev.sagaplatform.contracts.order;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.OrderLine;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A choreographed order passed its deadline without an outcome (a participant's message was
 * dead-lettered, or a participant has been away that long) and order-service made it {@code REJECTED}
 * with {@code TIMED_OUT}. Every participant undoes its part, whether its step has happened yet or not:
 * payment-service refunds or voids the order's key, inventory-service releases or leaves a tombstone,
 * so a step that arrives later finds the order compensated and does nothing.
 *
 * <p>It travels on {@code order.events} with the order's key, behind the order's {@code OrderCreated},
 * so payment-service always sees the two in that order.
 */
public record OrderTimedOut(UUID orderId, String customerId, List<OrderLine> items, BigDecimal total)
        implements Message {

    public static final MessageType<OrderTimedOut> TYPE =
            new MessageType<>("OrderTimedOut", OrderTimedOut.class, 1, AggregateTypes.ORDER);

    public OrderTimedOut {
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(customerId, "customerId must not be null");
        items = List.copyOf(Objects.requireNonNull(items, "items must not be null"));
        Objects.requireNonNull(total, "total must not be null");
    }
}
