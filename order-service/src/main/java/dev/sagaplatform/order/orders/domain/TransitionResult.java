package dev.sagaplatform.order.orders.domain;

/**
 * What asking an order to move to a final state did. Saga messages arrive at least once and a
 * re-sent command carries a new id, so "already there" is an expected answer, not an error.
 */
public enum TransitionResult {
    /** The order was {@code PENDING} and is now in the requested state. */
    CHANGED,
    /** The order was already in the requested state; nothing changed. */
    ALREADY_IN_STATE,
    /** The order already ended in the other final state; nothing changed. */
    CONFLICTS_WITH_FINAL_STATE
}
