package dev.sagaplatform.contracts.payment;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.RejectionReason;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/** Choreography: nothing was charged, so the order is rejected with no compensation to run. */
public record PaymentDeclined(UUID orderId, String customerId, BigDecimal amount, RejectionReason reason,
                              String reasonDetail) implements Message {

    public static final MessageType<PaymentDeclined> TYPE =
            new MessageType<>("PaymentDeclined", PaymentDeclined.class, 1, AggregateTypes.PAYMENT);

    public PaymentDeclined {
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(customerId, "customerId must not be null");
        Objects.requireNonNull(amount, "amount must not be null");
        Objects.requireNonNull(reason, "reason must not be null");
    }
}
