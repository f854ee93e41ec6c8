package dev.sagaplatform.contracts.inventory;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.OrderLine;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Choreography: every line is reserved; the last step, so order-service approves the order. */
public record StockReserved(UUID orderId, List<OrderLine> items) implements Message {

    public static final MessageType<StockReserved> TYPE =
            new MessageType<>("StockReserved", StockReserved.class, 1, AggregateTypes.INVENTORY);

    public StockReserved {
        Objects.requireNonNull(orderId, "orderId must not be null");
        items = List.copyOf(Objects.requireNonNull(items, "items must not be null"));
    }
}
