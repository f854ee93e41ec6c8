package dev.sagaplatform.simulator.adapters;

import dev.sagaplatform.order.idempotency.IdempotencyKeyRecord;
import dev.sagaplatform.order.idempotency.IdempotencyKeyStore;
import dev.sagaplatform.order.orders.domain.Order;
import dev.sagaplatform.order.orders.domain.OrderStatus;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.order.orders.persistence.OrderEntity;
import dev.sagaplatform.order.orders.persistence.OrderStore;
import dev.sagaplatform.simulator.store.Database;
import dev.sagaplatform.simulator.store.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The simulator's adapters of order-service's {@link OrderStore} and {@link IdempotencyKeyStore}. */
public final class InMemoryOrders implements OrderStore, IdempotencyKeyStore {

    private final Database database;
    private final Table<UUID, OrderEntity> orders;
    private final Table<String, IdempotencyKeyRecord> keys;

    public InMemoryOrders(Database database) {
        this.database = database;
        this.orders = database.table("orders");
        this.keys = database.table("idempotency_key");
    }

    @Override
    public Optional<OrderEntity> findForUpdate(UUID id) {
        return orders.find(id);
    }

    @Override
    public void saveNew(OrderEntity order) {
        UUID id = order.toDomain().id();
        if (!orders.insert(id, order)) {
            throw new IllegalStateException("duplicate key: order " + id + " exists");
        }
    }

    @Override
    public List<UUID> findOverdueChoreography(Instant createdBefore, int limit) {
        return orders.scan(entity -> {
                    Order order = entity.toDomain();
                    return order.flow() == SagaFlow.CHOREOGRAPHY && order.status() == OrderStatus.PENDING
                            && order.createdAt().isBefore(createdBefore);
                }).stream()
                .map(OrderEntity::toDomain)
                .sorted(Comparator.comparing(Order::createdAt))
                .limit(limit)
                .map(Order::id)
                .toList();
    }

    @Override
    public Optional<IdempotencyKeyRecord> find(String key) {
        return database.inTransaction() ? keys.find(key) : database.inTransaction(() -> keys.find(key));
    }

    @Override
    public Optional<IdempotencyKeyRecord> findForUpdate(String key) {
        return keys.find(key);
    }

    @Override
    public boolean insertIfAbsent(IdempotencyKeyRecord key) {
        return keys.insert(key.key(), key);
    }

    @Override
    public void update(IdempotencyKeyRecord key) {
        keys.save(key.key(), key);
    }

    @Override
    public void delete(String key) {
        keys.delete(key);
    }

    @Override
    public int deleteExpired(Instant now, int limit) {
        throw new UnsupportedOperationException("the simulated runs are far shorter than the key retention");
    }

    /** Every order as committed, oldest first. */
    public List<Order> committedOrders() {
        List<Order> all = new ArrayList<>();
        orders.committedRows().forEach(entity -> all.add(entity.toDomain()));
        return all;
    }

    public List<IdempotencyKeyRecord> committedKeys() {
        List<IdempotencyKeyRecord> all = new ArrayList<>();
        keys.committedRows().forEach(all::add);
        return all;
    }
}
