package dev.sagaplatform.console.timeline.domain;

/** An order's state as its own events tell it ({@code OrderCreated}, {@code OrderApproved}, {@code OrderRejected}). */
public enum OrderState {
    PENDING,
    APPROVED,
    REJECTED;

    public boolean terminal() {
        return this != PENDING;
    }
}
