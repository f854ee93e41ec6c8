package dev.sagaplatform.inventory.stock.domain;

/** What a release does, given the order's reservation. Every release is answered with success. */
public enum ReleaseAction {
    /** The order holds stock: give it back and mark the reservation released. */
    RETURN_STOCK,
    /**
     * No reservation exists yet: remember the release so that a reserve arriving late (reordered or
     * re-sent after a timeout) is rejected instead of holding stock that nobody will release.
     */
    RECORD_TOMBSTONE,
    /** Already released or never reserved: there is nothing to give back. */
    NOTHING
}
