package dev.sagaplatform.inventory.stock.domain;

/** The stored state of an order's reservation; every order has at most one. */
public enum ReservationStatus {
    /** Every line holds stock until the order is released. */
    RESERVED,
    /**
     * Stock was given back, or a release arrived before any reservation (a tombstone). Either way a
     * later reserve for the order must not take stock: nobody would release it again.
     */
    RELEASED,
    /** Nothing was taken; the rejection is kept so that a repeated request gets the same answer. */
    REJECTED
}
