package dev.sagaplatform.contracts.inventory;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.RejectionReason;

import java.util.Objects;
import java.util.UUID;

/** Choreography: nothing was reserved (all lines or none), so payment-service refunds. */
public record StockRejected(UUID orderId, RejectionReason reason, String reasonDetail) implements Message {

    public static final MessageType<StockRejected> TYPE =
            new MessageType<>("StockRejected", StockRejected.class, 1, AggregateTypes.INVENTORY);

    public StockRejected {
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(reason, "reason must not be null");
    }
}
