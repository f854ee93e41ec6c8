package dev.sagaplatform.inventory.catalog.persistence;

/** Stock on hand cannot go below what orders hold: those units are promised. */
public class OnHandBelowReservedException extends RuntimeException {

    private final int reserved;

    OnHandBelowReservedException(String sku, int onHand, int reserved) {
        super("orders hold " + reserved + " of " + sku + "; on hand cannot go below that (asked for " + onHand + ")",
                null, false, false);
        this.reserved = reserved;
    }

    public int reserved() {
        return reserved;
    }
}
