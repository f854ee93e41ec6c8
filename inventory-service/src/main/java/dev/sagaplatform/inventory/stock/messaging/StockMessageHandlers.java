package dev.sagaplatform.inventory.stock.messaging;

import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.inventory.StockRejected;
import dev.sagaplatform.contracts.inventory.StockReserved;
import dev.sagaplatform.contracts.order.OrderTimedOut;
import dev.sagaplatform.contracts.payment.PaymentAuthorized;
import dev.sagaplatform.contracts.saga.ReleaseStock;
import dev.sagaplatform.contracts.saga.ReserveStock;
import dev.sagaplatform.contracts.saga.SagaReply;
import dev.sagaplatform.inventory.InventoryProperties;
import dev.sagaplatform.inventory.stock.StockReservations;
import dev.sagaplatform.inventory.stock.domain.RequestedLine;
import dev.sagaplatform.inventory.stock.domain.ReservationDecision;
import dev.sagaplatform.inventory.stock.domain.ReservationDecision.Rejected;
import dev.sagaplatform.messaging.consumer.IncomingMessage;
import dev.sagaplatform.messaging.outbox.Outbox;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Translates both flows into the same two operations and their answers into messages. Each runs in
 * the consumer's transaction, so the stock change, the inbox row and the outbox row commit together.
 * A repeated request gets the stored outcome and the answer is sent again: the first answer may be
 * the one the other side lost track of.
 */
@Component
public class StockMessageHandlers {

    private final StockReservations stock;
    private final Outbox outbox;
    private final String failingSku;

    /** @param properties {@code inventory.testing.failing-sku}: see {@link InventoryProperties.Testing} */
    public StockMessageHandlers(StockReservations stock, Outbox outbox, InventoryProperties properties) {
        this.stock = stock;
        this.outbox = outbox;
        this.failingSku = properties.testing().failingSku() == null ? "" : properties.testing().failingSku();
    }

    /** Choreography: payment is done, so reserve, and tell order-service or payment-service. */
    void onPaymentAuthorized(IncomingMessage<PaymentAuthorized> message) {
        PaymentAuthorized event = message.payload();
        if (!failingSku.isEmpty() && event.items().stream().anyMatch(item -> failingSku.equals(item.sku()))) {
            throw new IllegalStateException("inventory.testing.failing-sku: simulated handler bug for " + failingSku
                    + " in order " + event.orderId());
        }
        ReservationDecision decision = stock.reserve(event.orderId(), requested(event.items()));
        if (decision instanceof Rejected rejected) {
            outbox.append(new StockRejected(event.orderId(), rejected.reason(), rejected.detail()));
        } else {
            outbox.append(new StockReserved(event.orderId(), event.items()));
        }
    }

    /**
     * Choreography: the order passed its deadline. Gives back what it holds, or leaves a tombstone so that a
     * {@code PaymentAuthorized} still on its way is answered with {@code StockRejected} instead of taking stock.
     */
    void onOrderTimedOut(IncomingMessage<OrderTimedOut> message) {
        stock.release(message.payload().orderId());
    }

    /** Orchestration: a saga step. */
    void onReserveStock(IncomingMessage<ReserveStock> message) {
        ReserveStock command = message.payload();
        ReservationDecision decision = stock.reserve(command.orderId(), requested(command.items()));
        if (decision instanceof Rejected rejected) {
            outbox.append(SagaReply.failure(command, rejected.reason(), rejected.detail()));
        } else {
            outbox.append(SagaReply.success(command));
        }
    }

    /** Orchestration: a compensation, which succeeds whatever the reservation's state. */
    void onReleaseStock(IncomingMessage<ReleaseStock> message) {
        ReleaseStock command = message.payload();
        stock.release(command.orderId());
        outbox.append(SagaReply.success(command));
    }

    private static List<RequestedLine> requested(List<OrderLine> items) {
        return items.stream().map(item -> new RequestedLine(item.sku(), item.quantity())).toList();
    }
}
