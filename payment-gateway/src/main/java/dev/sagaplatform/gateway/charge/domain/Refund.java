package dev.sagaplatform.gateway.charge.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A refund request as recorded; {@code chargeId} is null when it {@link RefundStatus#VOIDED voided} the charge key. */
public record Refund(
        UUID refundId,
        String idempotencyKey,
        String chargeIdempotencyKey,
        UUID chargeId,
        BigDecimal amount,
        RefundStatus status,
        Instant createdAt) {

    public Refund {
        Objects.requireNonNull(refundId, "refundId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(chargeIdempotencyKey, "chargeIdempotencyKey");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        if ((status == RefundStatus.REFUNDED) != (chargeId != null)) {
            throw new IllegalArgumentException("a " + status + " refund " + (chargeId == null ? "needs" : "has no") + " charge");
        }
    }
}
