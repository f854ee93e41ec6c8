package dev.sagaplatform.gateway.charge.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Money captured from a customer, less whatever has been refunded since. */
public record Charge(
        UUID chargeId,
        String idempotencyKey,
        UUID orderId,
        String customerId,
        BigDecimal amount,
        BigDecimal refundedAmount,
        Instant createdAt) {

    public Charge {
        Objects.requireNonNull(chargeId, "chargeId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(createdAt, "createdAt");
        if (refundedAmount.signum() < 0 || refundedAmount.compareTo(amount) > 0) {
            throw new IllegalArgumentException("refunded " + refundedAmount + " outside 0.." + amount);
        }
    }

    static Charge capture(ChargeRequest request, UUID chargeId, Instant now) {
        return new Charge(chargeId, request.idempotencyKey(), request.orderId(), request.customerId(), request.amount(),
                BigDecimal.ZERO.setScale(Amounts.SCALE), now);
    }

    public BigDecimal remainingAmount() {
        return amount.subtract(refundedAmount);
    }

    public ChargeStatus status() {
        if (refundedAmount.signum() == 0) {
            return ChargeStatus.CAPTURED;
        }
        return refundedAmount.compareTo(amount) < 0 ? ChargeStatus.PARTIALLY_REFUNDED : ChargeStatus.REFUNDED;
    }

    Charge refund(BigDecimal refund) {
        return new Charge(chargeId, idempotencyKey, orderId, customerId, amount, refundedAmount.add(refund), createdAt);
    }
}
