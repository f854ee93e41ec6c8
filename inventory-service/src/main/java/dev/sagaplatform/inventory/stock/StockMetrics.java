package dev.sagaplatform.inventory.stock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Counts reservations, rejections and releases once they are committed: a transaction that rolls
 * back and is redelivered must not count twice. Replayed outcomes are not counted at all.
 */
@Component
public class StockMetrics {

    private final Counter reservations;
    private final Counter rejections;
    private final Counter releases;

    public StockMetrics(MeterRegistry registry) {
        reservations = Counter.builder("inventory.reservations")
                .description("Orders whose stock was reserved").register(registry);
        rejections = Counter.builder("inventory.rejections")
                .description("Orders refused stock (all or nothing)").register(registry);
        releases = Counter.builder("inventory.releases")
                .description("Reservations whose stock was given back").register(registry);
    }

    void reserved() {
        afterCommit(reservations);
    }

    void rejected() {
        afterCommit(rejections);
    }

    void released() {
        afterCommit(releases);
    }

    private static void afterCommit(Counter counter) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            counter.increment();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                counter.increment();
            }
        });
    }
}
