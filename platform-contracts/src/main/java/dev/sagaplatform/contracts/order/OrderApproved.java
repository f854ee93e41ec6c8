package dev.sagaplatform.contracts.order;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageType;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/** The order reached {@code APPROVED}: its saga is over, in either flow. */
public record OrderApproved(UUID orderId, String customerId, BigDecimal total) implements Message {

    public static final MessageType<OrderApproved> TYPE =
            new MessageType<>("OrderApproved", OrderApproved.class, 1, AggregateTypes.ORDER);

    public OrderApproved {
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(customerId, "customerId must not be null");
        Objects.requireNonNull(total, "total must not be null");
    }
}
