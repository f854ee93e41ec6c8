package dev.sagaplatform.order.orders.messaging;

import dev.sagaplatform.contracts.inventory.StockReserved;
import dev.sagaplatform.contracts.payment.PaymentDeclined;
import dev.sagaplatform.contracts.payment.PaymentRefunded;
import dev.sagaplatform.contracts.saga.ApproveOrder;
import dev.sagaplatform.contracts.saga.RejectOrder;
import dev.sagaplatform.contracts.saga.SagaReply;
import dev.sagaplatform.messaging.consumer.IncomingMessage;
import dev.sagaplatform.messaging.consumer.MessageSubscription;
import dev.sagaplatform.messaging.outbox.Outbox;
import dev.sagaplatform.order.orders.OrderOutcomes;
import dev.sagaplatform.order.orders.OrderOutcomes.Outcome;
import dev.sagaplatform.order.orders.domain.TransitionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * How each flow ends an order. Choreography: events from payment- and inventory-service.
 * Orchestration: commands from saga-orchestrator, each answered with a {@link SagaReply}. Every
 * handler runs in the transaction that records the message in the inbox (platform-messaging).
 */
@Component
public class SagaOutcomeHandlers {

    /** Consumer group and inbox name. */
    public static final String CONSUMER = "order-service";

    private static final Logger log = LoggerFactory.getLogger(SagaOutcomeHandlers.class);

    private final OrderOutcomes outcomes;
    private final Outbox outbox;

    public SagaOutcomeHandlers(OrderOutcomes outcomes, Outbox outbox) {
        this.outcomes = outcomes;
        this.outbox = outbox;
    }

    /** Every message type order-service consumes, each with its handler. */
    public MessageSubscription subscription() {
        return MessageSubscription.consumer(CONSUMER)
                .on(StockReserved.class, this::stockReserved)
                .on(PaymentDeclined.class, this::paymentDeclined)
                .on(PaymentRefunded.class, this::paymentRefunded)
                .on(ApproveOrder.class, this::approveOrder)
                .on(RejectOrder.class, this::rejectOrder)
                .build();
    }

    void stockReserved(IncomingMessage<StockReserved> message) {
        outcomes.approve(message.payload().orderId(), StockReserved.TYPE.name());
    }

    void paymentDeclined(IncomingMessage<PaymentDeclined> message) {
        PaymentDeclined event = message.payload();
        outcomes.reject(event.orderId(), event.reason(), event.reasonDetail(), PaymentDeclined.TYPE.name());
    }

    /** The refund is the last compensation, and it carries the reason of the step that failed. */
    void paymentRefunded(IncomingMessage<PaymentRefunded> message) {
        PaymentRefunded event = message.payload();
        outcomes.reject(event.orderId(), event.reason(), event.reasonDetail(), PaymentRefunded.TYPE.name());
    }

    /**
     * A re-sent command (new command id, so the inbox does not catch it) finds the order already
     * approved and still gets its success reply, or the orchestrator would wait for it forever.
     */
    void approveOrder(IncomingMessage<ApproveOrder> message) {
        ApproveOrder command = message.payload();
        Outcome outcome = outcomes.approve(command.orderId(), ApproveOrder.TYPE.name());
        if (outcome.result() == TransitionResult.CONFLICTS_WITH_FINAL_STATE) {
            // The order stays REJECTED; the failure tells the orchestrator to compensate rather than finish.
            log.warn("order {} is REJECTED, answering {} {} with FAILURE", command.orderId(),
                    ApproveOrder.TYPE.name(), command.commandId());
            outbox.append(SagaReply.failure(command, outcome.order().reason(),
                    "order is already REJECTED (" + outcome.order().reason() + ")"));
            return;
        }
        outbox.append(SagaReply.success(command));
    }

    void rejectOrder(IncomingMessage<RejectOrder> message) {
        RejectOrder command = message.payload();
        Outcome outcome = outcomes.reject(command.orderId(), command.reason(), command.reasonDetail(),
                RejectOrder.TYPE.name());
        if (outcome.result() == TransitionResult.CONFLICTS_WITH_FINAL_STATE) {
            // An approved order cannot be undone here; a failed reply parks the saga where an operator sees it.
            log.warn("order {} is APPROVED, answering {} {} with FAILURE", command.orderId(),
                    RejectOrder.TYPE.name(), command.commandId());
            outbox.append(SagaReply.failure(command, command.reason(), "order is already APPROVED"));
            return;
        }
        outbox.append(SagaReply.success(command));
    }
}
