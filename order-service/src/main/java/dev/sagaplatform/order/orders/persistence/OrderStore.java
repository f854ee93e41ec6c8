package dev.sagaplatform.order.orders.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The orders as placement, the saga outcomes and the choreography deadline use them: just what they need, so that
 * the same code runs on {@link OrderRepository} in production and on an in-memory store in the simulator.
 */
public interface OrderStore {

    /**
     * The order, locked against concurrent transitions until the transaction ends: messages about one order can
     * arrive on different topics and be handled at the same time, and only one of them may decide the outcome.
     */
    Optional<OrderEntity> findForUpdate(UUID id);

    /** Stores a new order (from {@link OrderEntity#newOrder}); an id that is already stored is an error. */
    void saveNew(OrderEntity order);

    /**
     * Ids of the orders with flow {@code CHOREOGRAPHY} and status {@code PENDING} whose {@code createdAt} is strictly
     * before {@code createdBefore}, oldest {@code createdAt} first (ties in no particular order), at most {@code limit}
     * of them.
     */
    List<UUID> findOverdueChoreography(Instant createdBefore, int limit);
}
