package dev.sagaplatform.order.orders.persistence;

import dev.sagaplatform.order.orders.domain.OrderStatus;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface OrderRepository extends JpaRepository<OrderEntity, UUID>, JpaSpecificationExecutor<OrderEntity>,
        OrderStore {

    /** {@code select ... for update}: the row lock is held until the transaction ends. */
    @Override
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select o from OrderEntity o where o.id = :id")
    Optional<OrderEntity> findForUpdate(@Param("id") UUID id);

    /** Flushed at once, so that a duplicate id fails here rather than at commit. */
    @Override
    default void saveNew(OrderEntity order) {
        saveAndFlush(order);
    }

    /** Read through the partial index on PENDING orders. */
    @Override
    @Query(value = "select id from orders where status = 'PENDING' and flow = 'CHOREOGRAPHY'"
            + " and created_at < :createdBefore order by created_at limit :limit",
            nativeQuery = true)
    List<UUID> findOverdueChoreography(@Param("createdBefore") Instant createdBefore, @Param("limit") int limit);

    default Page<OrderEntity> search(String customerId, OrderStatus status, Pageable pageable) {
        Specification<OrderEntity> filter = Specification.unrestricted();
        if (customerId != null) {
            filter = filter.and((root, query, cb) -> cb.equal(root.get("customerId"), customerId));
        }
        if (status != null) {
            filter = filter.and((root, query, cb) -> cb.equal(root.get("status"), status));
        }
        return findAll(filter, pageable);
    }
}
