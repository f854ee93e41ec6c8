package dev.sagaplatform.contracts.saga;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.OrderLine;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Compensates {@link ReserveStock}. Releasing stock that was never reserved is a success,
 * because after a timeout the orchestrator cannot know whether the reservation happened.
 */
public record ReleaseStock(UUID commandId, UUID sagaId, UUID orderId,
                           List<OrderLine> items) implements SagaCommand {

    public static final MessageType<ReleaseStock> TYPE =
            new MessageType<>("ReleaseStock", ReleaseStock.class, 1, AggregateTypes.INVENTORY_COMMANDS);

    public ReleaseStock {
        Objects.requireNonNull(commandId, "commandId must not be null");
        Objects.requireNonNull(sagaId, "sagaId must not be null");
        Objects.requireNonNull(orderId, "orderId must not be null");
        items = List.copyOf(Objects.requireNonNull(items, "items must not be null"));
    }
}
