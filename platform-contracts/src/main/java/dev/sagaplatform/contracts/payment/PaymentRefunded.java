package dev.sagaplatform.contracts.payment;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.RejectionReason;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/**
 * Choreography: an authorized payment was given back because a later step failed. Carries that
 * step's reason so order-service can reject the order with the real cause, not "refunded".
 */
public record PaymentRefunded(UUID orderId, String customerId, BigDecimal amount, RejectionReason reason,
                              String reasonDetail) implements Message {

    public static final MessageType<PaymentRefunded> TYPE =
            new MessageType<>("PaymentRefunded", PaymentRefunded.class, 1, AggregateTypes.PAYMENT);

    public PaymentRefunded {
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(customerId, "customerId must not be null");
        Objects.requireNonNull(amount, "amount must not be null");
        Objects.requireNonNull(reason, "reason must not be null");
    }
}
