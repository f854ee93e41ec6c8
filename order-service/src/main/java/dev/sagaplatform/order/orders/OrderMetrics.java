package dev.sagaplatform.order.orders;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.contracts.inventory.StockReserved;
import dev.sagaplatform.contracts.payment.PaymentDeclined;
import dev.sagaplatform.contracts.payment.PaymentRefunded;
import dev.sagaplatform.contracts.saga.ApproveOrder;
import dev.sagaplatform.contracts.saga.RejectOrder;
import dev.sagaplatform.order.orders.domain.Order;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@code orders.placed}, {@code orders.approved}, {@code orders.rejected}, and {@code orders.saga.duration}: from the
 * order's creation to the message that ended it, as order-service sees it, per flow and per that message
 * ({@code StockReserved}, {@code PaymentDeclined}, {@code PaymentRefunded} or the choreography's {@code deadline};
 * {@code ApproveOrder} or {@code RejectOrder} from the orchestrator). Counted after commit: a transaction that rolls
 * back (and a redelivery that applies it again) must count once, not twice.
 *
 * <p>Orders still {@code PENDING} are a level, not an event: {@code orders_pending{flow}} ({@code PendingOrdersGauge})
 * reads it from the table.
 */
@Component
public class OrderMetrics {

    /** The message that ends an order, per flow: the tag values of {@code orders.saga.duration}, registered at zero. */
    static final Map<SagaFlow, List<String>> ENDED_BY = Map.of(
            SagaFlow.CHOREOGRAPHY, List.of(StockReserved.TYPE.name(), PaymentDeclined.TYPE.name(), PaymentRefunded.TYPE.name(),
                    OrderOutcomes.DEADLINE),
            SagaFlow.ORCHESTRATION, List.of(ApproveOrder.TYPE.name(), RejectOrder.TYPE.name()));

    private final MeterRegistry registry;
    private final Clock clock;

    public OrderMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        // Registered at zero, so dashboards and rate() queries see every series from the start.
        for (SagaFlow flow : SagaFlow.values()) {
            registry.counter("orders.placed", "flow", flow.name());
            registry.counter("orders.approved", "flow", flow.name());
            for (RejectionReason reason : RejectionReason.values()) {
                registry.counter("orders.rejected", "flow", flow.name(), "reason", reason.name());
            }
            ENDED_BY.get(flow).forEach(event -> sagaDuration(flow, event));
        }
    }

    void placed(Order order) {
        afterCommit(() -> registry.counter("orders.placed", "flow", order.flow().name()).increment());
    }

    void approved(Order order, String endedBy) {
        Duration duration = age(order);
        afterCommit(() -> {
            registry.counter("orders.approved", "flow", order.flow().name()).increment();
            sagaDuration(order.flow(), tag(order.flow(), endedBy)).record(duration);
        });
    }

    void rejected(Order order, String endedBy) {
        Duration duration = age(order);
        afterCommit(() -> {
            registry.counter("orders.rejected", "flow", order.flow().name(), "reason", order.reason().name()).increment();
            sagaDuration(order.flow(), tag(order.flow(), endedBy)).record(duration);
        });
    }

    private Duration age(Order order) {
        Duration age = Duration.between(order.createdAt(), clock.instant());
        return age.isNegative() ? Duration.ZERO : age;
    }

    /** Only the known enders become tag values: a cause is free text for the log. */
    private static String tag(SagaFlow flow, String endedBy) {
        return ENDED_BY.get(flow).contains(endedBy) ? endedBy : "other";
    }

    private Timer sagaDuration(SagaFlow flow, String endedBy) {
        return Timer.builder("orders.saga.duration").tag("flow", flow.name()).tag("ended_by", endedBy)
                .description("From the order's creation to the message that ended it, as order-service applies it")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    private static void afterCommit(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            action.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }
}
