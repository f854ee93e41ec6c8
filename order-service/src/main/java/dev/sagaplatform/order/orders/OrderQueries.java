package dev.sagaplatform.order.orders;

import dev.sagaplatform.order.orders.domain.Order;
import dev.sagaplatform.order.orders.domain.OrderStatus;
import dev.sagaplatform.order.orders.persistence.OrderEntity;
import dev.sagaplatform.order.orders.persistence.OrderRepository;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads for the REST API; a read-only transaction so that the lines load with their order. */
@Service
public class OrderQueries {

    // Newest first; the id breaks ties so that pages never overlap or skip an order.
    private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"));

    private final OrderRepository orders;

    public OrderQueries(OrderRepository orders) {
        this.orders = orders;
    }

    @Transactional(readOnly = true)
    public Optional<Order> find(UUID orderId) {
        return orders.findById(orderId).map(OrderEntity::toDomain);
    }

    /** @param customerId and status are optional filters ({@code null} = any) */
    @Transactional(readOnly = true)
    public Page<Order> search(String customerId, OrderStatus status, int page, int size) {
        return orders.search(customerId, status, PageRequest.of(page, size, NEWEST_FIRST)).map(OrderEntity::toDomain);
    }
}
