package dev.sagaplatform.gateway.charge.domain;

/**
 * The refund to answer with. When {@code replay} is false the refund is new and must be stored,
 * together with {@code chargeAfterRefund} if money went back (null for a void).
 */
public record RefundOutcome(Refund refund, Charge chargeAfterRefund, boolean replay) {
}
