package dev.sagaplatform.contracts.payment;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.OrderLine;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Choreography: the customer's credit was debited. Carries the order's items so that
 * inventory-service can reserve stock from this event alone, without asking order-service.
 */
public record PaymentAuthorized(UUID orderId, String customerId, BigDecimal amount, String paymentId,
                                List<OrderLine> items) implements Message {

    public static final MessageType<PaymentAuthorized> TYPE =
            new MessageType<>("PaymentAuthorized", PaymentAuthorized.class, 1, AggregateTypes.PAYMENT);

    public PaymentAuthorized {
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(customerId, "customerId must not be null");
        Objects.requireNonNull(amount, "amount must not be null");
        Objects.requireNonNull(paymentId, "paymentId must not be null");
        items = List.copyOf(Objects.requireNonNull(items, "items must not be null"));
    }
}
