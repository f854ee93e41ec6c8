package dev.sagaplatform.contracts.saga;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.MessageType;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/**
 * Compensates {@link AuthorizePayment}. Refunding a payment that was never authorized is a success,
 * because after a timeout the orchestrator cannot know whether the authorization happened.
 */
public record RefundPayment(UUID commandId, UUID sagaId, UUID orderId,
                            String customerId, BigDecimal amount) implements SagaCommand {

    public static final MessageType<RefundPayment> TYPE =
            new MessageType<>("RefundPayment", RefundPayment.class, 1, AggregateTypes.PAYMENT_COMMANDS);

    public RefundPayment {
        Objects.requireNonNull(commandId, "commandId must not be null");
        Objects.requireNonNull(sagaId, "sagaId must not be null");
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(customerId, "customerId must not be null");
        Objects.requireNonNull(amount, "amount must not be null");
    }
}
