package dev.sagaplatform.contracts.saga;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.MessageType;

import java.util.Objects;
import java.util.UUID;

/** Every step succeeded: order-service marks the order {@code APPROVED}. */
public record ApproveOrder(UUID commandId, UUID sagaId, UUID orderId) implements SagaCommand {

    public static final MessageType<ApproveOrder> TYPE =
            new MessageType<>("ApproveOrder", ApproveOrder.class, 1, AggregateTypes.ORDER_COMMANDS);

    public ApproveOrder {
        Objects.requireNonNull(commandId, "commandId must not be null");
        Objects.requireNonNull(sagaId, "sagaId must not be null");
        Objects.requireNonNull(orderId, "orderId must not be null");
    }
}
