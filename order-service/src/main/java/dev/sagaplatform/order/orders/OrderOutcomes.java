package dev.sagaplatform.order.orders;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.messaging.outbox.Outbox;
import dev.sagaplatform.order.orders.domain.Order;
import dev.sagaplatform.order.orders.domain.TransitionResult;
import dev.sagaplatform.order.orders.persistence.OrderEntity;
import dev.sagaplatform.order.orders.persistence.OrderStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The end of a saga, in the transaction of the message that decided it: the order's new state and
 * its {@code OrderApproved} / {@code OrderRejected} commit with the inbox row, or not at all.
 */
@Service
public class OrderOutcomes {

    private static final Logger log = LoggerFactory.getLogger(OrderOutcomes.class);

    /** The cause of a choreographed order ended by its deadline (the other causes are message type names). */
    static final String DEADLINE = "deadline";

    private final OrderStore orders;
    private final Outbox outbox;
    private final OrderMetrics metrics;
    private final Clock clock;

    public OrderOutcomes(OrderStore orders, Outbox outbox, OrderMetrics metrics, Clock clock) {
        this.orders = orders;
        this.outbox = outbox;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** What a transition did, with the order as it is afterwards. */
    public record Outcome(TransitionResult result, Order order) {
    }

    /**
     * @param cause the message type that asked, for the log
     * @throws OrderNotFoundException so that the message is retried and then dead-lettered, where an
     *                                operator sees it; silently dropping it would hide a lost order
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Outcome approve(UUID orderId, String cause) {
        return transition(orderId, cause, order -> order.approve(now()));
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Outcome reject(UUID orderId, RejectionReason reason, String detail, String cause) {
        return transition(orderId, cause, order -> order.reject(reason, detail, now()));
    }

    /**
     * Ends a choreographed order that passed its deadline: {@code REJECTED} with {@code TIMED_OUT}, plus
     * {@code OrderTimedOut} so that every participant undoes whatever it did or would still do. An order
     * that ended meanwhile is left as it is and nothing is sent.
     */
    @Transactional
    public Outcome expire(UUID orderId, String detail) {
        Outcome outcome = transition(orderId, DEADLINE, order -> order.reject(RejectionReason.TIMED_OUT, detail, now()));
        if (outcome.result() == TransitionResult.CHANGED) {
            outbox.append(outcome.order().timedOut());
        }
        return outcome;
    }

    private Outcome transition(UUID orderId, String cause, Function<Order, TransitionResult> change) {
        OrderEntity entity = orders.findForUpdate(orderId).orElseThrow(() -> new OrderNotFoundException(orderId));
        Order order = entity.toDomain();
        TransitionResult result = change.apply(order);
        if (result != TransitionResult.CHANGED) {
            log.info("order {} is already {}; {} changes nothing", orderId, order.status(), cause);
            return new Outcome(result, order);
        }
        entity.copyState(order);
        switch (order.status()) {
            case APPROVED -> {
                outbox.append(order.approved());
                metrics.approved(order, cause);
                log.info("order {} APPROVED", orderId);
            }
            case REJECTED -> {
                outbox.append(order.rejected());
                metrics.rejected(order, cause);
                log.info("order {} REJECTED: {}", orderId, order.reason());
            }
            case PENDING -> throw new IllegalStateException("a transition never leads back to PENDING");
        }
        return new Outcome(result, order);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
