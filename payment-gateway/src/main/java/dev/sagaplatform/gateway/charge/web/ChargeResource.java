package dev.sagaplatform.gateway.charge.web;

import dev.sagaplatform.gateway.charge.domain.Charge;
import dev.sagaplatform.gateway.charge.domain.ChargeStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

record ChargeResource(
        UUID chargeId,
        String idempotencyKey,
        UUID orderId,
        String customerId,
        BigDecimal amount,
        BigDecimal refundedAmount,
        ChargeStatus status,
        Instant createdAt) {

    static ChargeResource of(Charge charge) {
        return new ChargeResource(charge.chargeId(), charge.idempotencyKey(), charge.orderId(), charge.customerId(),
                charge.amount(), charge.refundedAmount(), charge.status(), charge.createdAt());
    }
}
