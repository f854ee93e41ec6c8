package dev.sagaplatform.order.orders.domain;

/** Where an order's saga stands. Only {@link #PENDING} can change; the other two are final. */
public enum OrderStatus {
    PENDING,
    APPROVED,
    REJECTED;

    public boolean isTerminal() {
        return this != PENDING;
    }
}
