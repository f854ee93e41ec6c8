package dev.sagaplatform.order.orders;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.order.orders.domain.Order;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@code orders.placed}, {@code orders.approved}, {@code orders.rejected}. Counted after commit: a
 * transaction that rolls back (and a redelivery that applies it again) must count once, not twice.
 */
@Component
public class OrderMetrics {

    private final MeterRegistry registry;

    public OrderMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Registered at zero, so dashboards and rate() queries see every series from the start.
        for (SagaFlow flow : SagaFlow.values()) {
            registry.counter("orders.placed", "flow", flow.name());
            registry.counter("orders.approved", "flow", flow.name());
            for (RejectionReason reason : RejectionReason.values()) {
                registry.counter("orders.rejected", "flow", flow.name(), "reason", reason.name());
            }
        }
    }

    void placed(Order order) {
        afterCommit(() -> registry.counter("orders.placed", "flow", order.flow().name()).increment());
    }

    void approved(Order order) {
        afterCommit(() -> registry.counter("orders.approved", "flow", order.flow().name()).increment());
    }

    void rejected(Order order) {
        afterCommit(() -> registry.counter("orders.rejected",
                "flow", order.flow().name(), "reason", order.reason().name()).increment());
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
