package dev.sagaplatform.gateway.charge.persistence;

import java.util.UUID;

/** Null fields do not filter. */
public record ChargeFilter(UUID orderId, String customerId) {
}
