package dev.sagaplatform.contracts.order;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.RejectionReason;

import java.util.Objects;
import java.util.UUID;

/** The order reached {@code REJECTED}; by then every step before it has been compensated. */
public record OrderRejected(UUID orderId, String customerId, RejectionReason reason, String reasonDetail)
        implements Message {

    public static final MessageType<OrderRejected> TYPE =
            new MessageType<>("OrderRejected", OrderRejected.class, 1, AggregateTypes.ORDER);

    public OrderRejected {
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(customerId, "customerId must not be null");
        Objects.requireNonNull(reason, "reason must not be null");
    }
}
