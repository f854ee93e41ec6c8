package dev.sagaplatform.contracts.saga;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.OrderLine;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Reserve every line or none. */
public record ReserveStock(UUID commandId, UUID sagaId, UUID orderId,
                           List<OrderLine> items) implements SagaCommand {

    public static final MessageType<ReserveStock> TYPE =
            new MessageType<>("ReserveStock", ReserveStock.class, 1, AggregateTypes.INVENTORY_COMMANDS);

    public ReserveStock {
        Objects.requireNonNull(commandId, "commandId must not be null");
        Objects.requireNonNull(sagaId, "sagaId must not be null");
        Objects.requireNonNull(orderId, "orderId must not be null");
        items = List.copyOf(Objects.requireNonNull(items, "items must not be null"));
    }
}
