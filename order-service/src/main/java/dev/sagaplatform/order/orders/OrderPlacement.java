package dev.sagaplatform.order.orders;

import dev.sagaplatform.messaging.ids.IdGenerator;
import dev.sagaplatform.messaging.outbox.Outbox;
import dev.sagaplatform.order.orders.domain.Order;
import dev.sagaplatform.order.orders.domain.OrderRequest;
import dev.sagaplatform.order.orders.persistence.OrderEntity;
import dev.sagaplatform.order.orders.persistence.OrderStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Placing an order in two halves: {@link #prepare} asks other services (no transaction open while
 * waiting on the network), {@link #save} writes the order and its {@code OrderCreated} in the
 * caller's transaction. Stock and credit are not checked here: that is what the saga is for.
 */
@Service
public class OrderPlacement {

    private static final Logger log = LoggerFactory.getLogger(OrderPlacement.class);

    private final CustomerCheck customers;
    private final PriceList priceList;
    private final OrderStore orders;
    private final Outbox outbox;
    private final OrderMetrics metrics;
    private final Clock clock;
    private final IdGenerator ids;

    public OrderPlacement(CustomerCheck customers, PriceList priceList, OrderStore orders, Outbox outbox,
                          OrderMetrics metrics, Clock clock, IdGenerator ids) {
        this.customers = customers;
        this.priceList = priceList;
        this.orders = orders;
        this.outbox = outbox;
        this.metrics = metrics;
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * @param request a request that passed {@link OrderRequest#validate()}
     * @return a priced {@code PENDING} order, not yet stored
     * @throws UnknownCustomerException or {@link UnknownSkuException} for what the other services do not know
     * @throws dev.sagaplatform.order.remote.DependencyUnavailableException when one of them cannot answer
     */
    public Order prepare(OrderRequest request) {
        if (!customers.exists(request.customerId())) {
            throw new UnknownCustomerException(request.customerId());
        }
        Map<String, BigDecimal> prices = priceList.prices(request.skus());
        List<String> unknown = request.skusMissingFrom(prices.keySet());
        if (!unknown.isEmpty()) {
            throw new UnknownSkuException(unknown);
        }
        // PostgreSQL keeps microseconds: truncating now makes the stored and the returned time equal.
        return Order.place(ids.next(), request, prices, clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void save(Order order) {
        orders.saveNew(OrderEntity.newOrder(order));
        outbox.append(order.created());
        metrics.placed(order);
        log.info("order {} PENDING: {} line(s), total {}, {}", order.id(), order.items().size(), order.total(),
                order.flow());
    }
}
