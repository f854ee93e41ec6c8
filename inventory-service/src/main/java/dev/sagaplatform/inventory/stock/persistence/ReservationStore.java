package dev.sagaplatform.inventory.stock.persistence;

import java.util.Optional;
import java.util.UUID;

/**
 * Every order's reservation, at most one each. {@link ReservationRepository} stores them in PostgreSQL; the
 * deterministic simulator keeps them in memory and runs the same stock operations on them.
 */
public interface ReservationStore {

    Optional<Reservation> findById(UUID orderId);

    /** Like {@link #findById}, and holds the reservation locked for the rest of the transaction. */
    Optional<Reservation> lockById(UUID orderId);

    /** Stores a new reservation; one for an order that already has one fails on the order id at commit. */
    Reservation save(Reservation reservation);
}
