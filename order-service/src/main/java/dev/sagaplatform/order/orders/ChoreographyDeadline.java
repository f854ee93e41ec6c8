package dev.sagaplatform.order.orders;

import dev.sagaplatform.order.orders.domain.TransitionResult;
import dev.sagaplatform.order.orders.persistence.OrderStore;
import java.time.Clock;
import java.time.Instant;
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
public class ChoreographyDeadline {

    private static final Logger log = LoggerFactory.getLogger(ChoreographyDeadline.class);

    private final OrderStore orders;
    private final OrderOutcomes outcomes;
    private final TransactionRunner transactions;
    private final OrderProperties.Choreography settings;
    private final Clock clock;

    /** @param clock the clock that stamped the orders' creation times, against which their age is measured */
    public ChoreographyDeadline(OrderStore orders, OrderOutcomes outcomes, TransactionRunner transactions,
                                OrderProperties properties, Clock clock) {
        this.orders = orders;
        this.outcomes = outcomes;
        this.transactions = transactions;
        this.settings = properties.choreography();
        this.clock = clock;
    }

    /**
     * One check: looks for at most {@code batch-size} overdue orders in one transaction, then ends each in a
     * transaction of its own. Called outside any transaction.
     */
    @Scheduled(initialDelayString = "${orders.choreography.check-interval:5s}",
            fixedDelayString = "${orders.choreography.check-interval:5s}")
    public void endOverdueOrders() {
        List<UUID> overdue;
        try {
            Instant createdBefore = clock.instant().minus(settings.deadline());
            overdue = transactions.inOwnTransaction(
                    () -> orders.findOverdueChoreography(createdBefore, settings.batchSize()));
        } catch (RuntimeException e) {
            log.warn("could not look for choreographed orders past their deadline, retrying in {}: {}",
                    settings.checkInterval(), e.toString());
            return;
        }
        String detail = "no outcome within the choreography deadline of " + settings.deadline()
                + "; every participant compensates";
        for (UUID orderId : overdue) {
            try {
                if (transactions.inOwnTransaction(() -> outcomes.expire(orderId, detail)).result()
                        == TransitionResult.CHANGED) {
                    log.info("order {} passed its choreography deadline ({}): OrderTimedOut sent", orderId, settings.deadline());
                }
            } catch (RuntimeException e) {
                log.warn("order {} passed its choreography deadline but could not be ended, retrying in {}: {}",
                        orderId, settings.checkInterval(), e.toString());
            }
        }
    }
}
