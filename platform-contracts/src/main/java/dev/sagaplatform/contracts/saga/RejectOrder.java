package dev.sagaplatform.contracts.saga;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.RejectionReason;

import java.util.Objects;
import java.util.UUID;

/** Compensations are done: order-service marks the order {@code REJECTED} with the saga's reason. */
public record RejectOrder(UUID commandId, UUID sagaId, UUID orderId,
                          RejectionReason reason, String reasonDetail) implements SagaCommand {

    public static final MessageType<RejectOrder> TYPE =
            new MessageType<>("RejectOrder", RejectOrder.class, 1, AggregateTypes.ORDER_COMMANDS);

    public RejectOrder {
        Objects.requireNonNull(commandId, "commandId must not be null");
        Objects.requireNonNull(sagaId, "sagaId must not be null");
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(reason, "reason must not be null");
    }
}
