package dev.sagaplatform.order.orders.persistence;

import dev.sagaplatform.order.orders.domain.OrderStatus;
import jakarta.persistence.LockModeType;
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

public interface OrderRepository extends JpaRepository<OrderEntity, UUID>, JpaSpecificationExecutor<OrderEntity> {

    /**
     * Locks the row for a state transition: messages about one order can arrive on different topics
     * and be handled at the same time, and only one of them may decide the outcome.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select o from OrderEntity o where o.id = :id")
    Optional<OrderEntity> findForUpdate(@Param("id") UUID id);

    /**
     * Choreographed orders still {@code PENDING} whose deadline has passed by the database's clock (the clock
     * that stamped {@code created_at}), oldest first; read through the partial index on PENDING orders.
     */
    @Query(value = "select id from orders where status = 'PENDING' and flow = 'CHOREOGRAPHY'"
            + " and created_at < now() - make_interval(secs => :deadlineSeconds) order by created_at limit :limit",
            nativeQuery = true)
    List<UUID> findOverdueChoreography(@Param("deadlineSeconds") double deadlineSeconds, @Param("limit") int limit);

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
