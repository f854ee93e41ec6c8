package dev.sagaplatform.orchestrator.saga.domain;

import dev.sagaplatform.contracts.OrderLine;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The order as it was created, kept with the saga so that every command, including a refund sent
 * minutes later, charges and releases exactly what was authorized and reserved.
 */
public record OrderSagaData(UUID orderId, String customerId, BigDecimal total, List<OrderLine> items)
        implements SagaData {

    public OrderSagaData {
        Objects.requireNonNull(orderId, "orderId must not be null");
        Objects.requireNonNull(customerId, "customerId must not be null");
        Objects.requireNonNull(total, "total must not be null");
        items = List.copyOf(Objects.requireNonNull(items, "items must not be null"));
    }
}
