package dev.sagaplatform.order.orders.persistence;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.order.orders.domain.Order;
import dev.sagaplatform.order.orders.domain.OrderStatus;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Persistable;

/**
 * Storage shape of {@link Order}. The domain class stays free of JPA; this one only copies state in
 * and out, so every rule lives in one place.
 */
@Entity
@Table(name = "orders")
public class OrderEntity implements Persistable<UUID> {

    @Id
    private UUID id;

    @Column(name = "customer_id", nullable = false, length = 100)
    private String customerId;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false, length = 16)
    private OrderStatus status;

    @Enumerated(EnumType.STRING)
    @Column(name = "reason", length = 64)
    private RejectionReason reason;

    @Column(name = "reason_detail", length = Order.MAX_REASON_DETAIL_LENGTH)
    private String reasonDetail;

    @Enumerated(EnumType.STRING)
    @Column(name = "flow", nullable = false, length = 16)
    private SagaFlow flow;

    @Column(name = "total", nullable = false, precision = 19, scale = 2)
    private BigDecimal total;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @ElementCollection
    @CollectionTable(name = "order_line", joinColumns = @JoinColumn(name = "order_id"))
    @OrderColumn(name = "line_no")
    private List<OrderLineEmbeddable> lines = new ArrayList<>();

    // The id is assigned by the domain, so Spring Data cannot tell a new order from a stored one by it;
    // without this flag every insert would cost a select first.
    @Transient
    private boolean isNew;

    protected OrderEntity() {
    }

    public static OrderEntity newOrder(Order order) {
        OrderEntity entity = new OrderEntity();
        entity.id = order.id();
        entity.customerId = order.customerId();
        entity.flow = order.flow();
        entity.total = order.total();
        entity.createdAt = order.createdAt();
        order.items().forEach(item -> entity.lines.add(OrderLineEmbeddable.from(item)));
        entity.copyState(order);
        entity.isNew = true;
        return entity;
    }

    public Order toDomain() {
        return Order.restore(id, customerId, lines.stream().map(OrderLineEmbeddable::toDomain).toList(), total, flow,
                createdAt, status, reason, reasonDetail, updatedAt);
    }

    /** Takes over what a transition may change; everything else is fixed at placement. */
    public void copyState(Order order) {
        status = order.status();
        reason = order.reason();
        reasonDetail = order.reasonDetail();
        updatedAt = order.updatedAt();
    }

    @PostLoad
    @PostPersist
    void markStored() {
        isNew = false;
    }

    @Override
    public UUID getId() {
        return id;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }
}
