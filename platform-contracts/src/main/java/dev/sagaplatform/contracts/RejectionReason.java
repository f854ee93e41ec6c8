package dev.sagaplatform.contracts;

/**
 * Why an order was rejected: the stable code shown as {@code reason} by {@code GET /orders/{id}}.
 * More may be added, so consumers should not treat an unknown value as a poison message forever.
 */
public enum RejectionReason {
    INSUFFICIENT_CREDIT,
    OUT_OF_STOCK,
    PAYMENT_FAILED,
    TIMED_OUT
}
