package dev.sagaplatform.contracts.saga;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.MessageType;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/** Debit the customer's credit for the order; the step that can fail first. */
public record AuthorizePayment(UUID commandId, UUID sagaId, UUID orderId,
                               String customerId, BigDecimal amount) implements SagaCommand {

    public static final MessageType<AuthorizePayment> TYPE =
            new MessageType<>("AuthorizePayment", AuthorizePayment.class, 1, AggregateTypes.PAYMENT_COMMANDS);

    public AuthorizePayment {
        Objects.requireNonNull(commandId, "commandId must not be null");
        Objects.requireNonNull(sagaId, "sagaId must not be null");
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(customerId, "customerId must not be null");
        Objects.requireNonNull(amount, "amount must not be null");
    }
}
