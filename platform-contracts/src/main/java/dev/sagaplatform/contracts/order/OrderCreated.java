package dev.sagaplatform.contracts.order;

import dev.sagaplatform.contracts.AggregateTypes;
import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.SagaFlow;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * An order was accepted as {@code PENDING}. Starts both flows: payment-service acts on it when
 * {@code flow} is {@link SagaFlow#CHOREOGRAPHY}, saga-orchestrator when it is {@link SagaFlow#ORCHESTRATION}.
 */
public record OrderCreated(UUID orderId, String customerId, List<OrderLine> items, BigDecimal total,
                           SagaFlow flow, Instant createdAt) implements Message {

    public static final MessageType<OrderCreated> TYPE =
            new MessageType<>("OrderCreated", OrderCreated.class, 1, AggregateTypes.ORDER);

    public OrderCreated {
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(customerId, "customerId must not be null");
        items = List.copyOf(Objects.requireNonNull(items, "items must not be null"));
        Objects.requireNonNull(total, "total must not be null");
        // Without a flow both the choreography and the orchestration side would have to guess.
        Objects.requireNonNull(flow, "flow must not be null");
        Objects.requireNonNull(createdAt, "createdAt must not be null");
    }
}
