package dev.sagaplatform.order.orders;

import dev.sagaplatform.order.orders.domain.TransitionResult;
import dev.sagaplatform.order.orders.persistence.OrderRepository;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The choreographed flow's deadline. The orchestrator times out its own steps; a choreographed order has
 * no coordinator, so without this an order whose message was dead-lettered (or whose participant never
 * comes back) would stay {@code PENDING} for ever, its credit debited and its stock held. Every
 * {@code check-interval} this ends each choreographed order older than {@code deadline} with
 * {@code TIMED_OUT} and sends {@code OrderTimedOut}, on which every participant compensates.
 *
 * <p>Each order is ended in its own transaction, so one order that cannot be ended (it is logged) never
 * holds back the others; replicas may run this at once: the order's row lock lets one of them end it.
 */
@Component
class ChoreographyDeadline {

    private static final Logger log = LoggerFactory.getLogger(ChoreographyDeadline.class);

    private final OrderRepository orders;
    private final OrderOutcomes outcomes;
    private final OrderProperties.Choreography settings;

    ChoreographyDeadline(OrderRepository orders, OrderOutcomes outcomes, OrderProperties properties) {
        this.orders = orders;
        this.outcomes = outcomes;
        this.settings = properties.choreography();
    }

    @Scheduled(initialDelayString = "${orders.choreography.check-interval:5s}",
            fixedDelayString = "${orders.choreography.check-interval:5s}")
    void endOverdueOrders() {
        List<UUID> overdue;
        try {
            overdue = orders.findOverdueChoreography(settings.deadline().toMillis() / 1000.0, settings.batchSize());
        } catch (RuntimeException e) {
            log.warn("could not look for choreographed orders past their deadline, retrying in {}: {}",
                    settings.checkInterval(), e.toString());
            return;
        }
        String detail = "no outcome within the choreography deadline of " + settings.deadline()
                + "; every participant compensates";
        for (UUID orderId : overdue) {
            try {
                if (outcomes.expire(orderId, detail).result() == TransitionResult.CHANGED) {
                    log.info("order {} passed its choreography deadline ({}): OrderTimedOut sent", orderId, settings.deadline());
                }
            } catch (RuntimeException e) {
                log.warn("order {} passed its choreography deadline but could not be ended, retrying in {}: {}",
                        orderId, settings.checkInterval(), e.toString());
            }
        }
    }
}
