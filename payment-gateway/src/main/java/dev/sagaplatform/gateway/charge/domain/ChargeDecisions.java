package dev.sagaplatform.gateway.charge.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What the processor does with a charge or refund request, given what it has stored under the keys.
 * The caller must hold a lock on the charge key while it reads, decides and stores, so that a charge
 * and the refund that voids its key cannot both succeed.
 */
public final class ChargeDecisions {

    private ChargeDecisions() {
    }

    /**
     * @param existing the charge stored under the request's key, if any
     * @param keyVoided whether a refund arrived for the key before any charge did
     */
    public static ChargeOutcome charge(ChargeRequest request, Optional<Charge> existing, boolean keyVoided,
            UUID newChargeId, Instant now) {
        if (existing.isPresent()) {
            Charge stored = existing.get();
            if (!request.describes(stored)) {
                throw new IdempotencyKeyReusedException("Charge key " + request.idempotencyKey() + " was used for order "
                        + stored.orderId() + ", customer " + stored.customerId() + ", amount " + stored.amount().toPlainString()
                        + "; this request differs");
            }
            return new ChargeOutcome(stored, true);
        }
        // The compensation overtook its charge: the charge must never happen now, or the order's
        // customer would pay for an order that was already given up.
        if (keyVoided) {
            throw new ChargeVoidedException(request.idempotencyKey());
        }
        return new ChargeOutcome(Charge.capture(request, newChargeId, now), false);
    }

    /**
     * @param existing the refund stored under the request's key, if any
     * @param charge the charge stored under the request's charge key, if any
     */
    public static RefundOutcome refund(RefundRequest request, Optional<Refund> existing, Optional<Charge> charge,
            UUID newRefundId, Instant now) {
        if (existing.isPresent()) {
            Refund stored = existing.get();
            if (!request.describes(stored)) {
                throw new IdempotencyKeyReusedException("Refund key " + request.idempotencyKey() + " was used for charge key "
                        + stored.chargeIdempotencyKey() + ", amount " + stored.amount().toPlainString() + "; this request differs");
            }
            return new RefundOutcome(stored, null, true);
        }
        if (charge.isEmpty()) {
            Refund voiding = new Refund(newRefundId, request.idempotencyKey(), request.chargeIdempotencyKey(), null,
                    request.amount(), RefundStatus.VOIDED, now);
            return new RefundOutcome(voiding, null, false);
        }
        Charge refunded = charge.get();
        if (request.amount().compareTo(refunded.remainingAmount()) > 0) {
            throw new RefundExceedsChargeException(refunded, request.amount());
        }
        Refund refund = new Refund(newRefundId, request.idempotencyKey(), request.chargeIdempotencyKey(), refunded.chargeId(),
                request.amount(), RefundStatus.REFUNDED, now);
        return new RefundOutcome(refund, refunded.refund(request.amount()), false);
    }
}
