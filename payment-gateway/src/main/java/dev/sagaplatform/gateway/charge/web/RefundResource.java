package dev.sagaplatform.gateway.charge.web;

import dev.sagaplatform.gateway.charge.domain.Refund;
import dev.sagaplatform.gateway.charge.domain.RefundStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** {@code chargeId} is null for a VOIDED refund: there was no charge to refund. */
record RefundResource(
        UUID refundId,
        String idempotencyKey,
        String chargeIdempotencyKey,
        UUID chargeId,
        BigDecimal amount,
        RefundStatus status,
        Instant createdAt) {

    static RefundResource of(Refund refund) {
        return new RefundResource(refund.refundId(), refund.idempotencyKey(), refund.chargeIdempotencyKey(), refund.chargeId(),
                refund.amount(), refund.status(), refund.createdAt());
    }
}
