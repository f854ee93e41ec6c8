package dev.sagaplatform.payment.payment.messaging;

import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.contracts.inventory.StockRejected;
import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.order.OrderCreated;
import dev.sagaplatform.contracts.order.OrderTimedOut;
import dev.sagaplatform.contracts.payment.PaymentAuthorized;
import dev.sagaplatform.contracts.payment.PaymentDeclined;
import dev.sagaplatform.contracts.payment.PaymentRefunded;
import dev.sagaplatform.contracts.saga.AuthorizePayment;
import dev.sagaplatform.contracts.saga.RefundPayment;
import dev.sagaplatform.contracts.saga.SagaReply;
import dev.sagaplatform.messaging.consumer.IncomingMessage;
import dev.sagaplatform.messaging.consumer.MessageSubscription;
import dev.sagaplatform.messaging.outbox.Outbox;
import dev.sagaplatform.payment.payment.Payment;
import dev.sagaplatform.payment.payment.PaymentStore;
import dev.sagaplatform.payment.payment.Payments;
import dev.sagaplatform.payment.payment.domain.PaymentStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The payment participant on the wire. Choreography: {@code OrderCreated} → authorize →
 * {@code PaymentAuthorized | PaymentDeclined}; {@code StockRejected} → refund → {@code PaymentRefunded};
 * {@code OrderTimedOut} → refund, or void the key if nothing was authorized yet.
 * Orchestration: {@code AuthorizePayment} / {@code RefundPayment} → the same operations → {@code SagaReply}.
 * Every handler runs in the transaction that records the message as processed.
 */
@Configuration(proxyBeanMethods = false)
public class PaymentMessageHandlers {

    private static final Logger log = LoggerFactory.getLogger(PaymentMessageHandlers.class);

    private final Payments payments;
    private final PaymentStore paymentStore;
    private final Outbox outbox;

    public PaymentMessageHandlers(Payments payments, PaymentStore paymentStore, Outbox outbox) {
        this.payments = payments;
        this.paymentStore = paymentStore;
        this.outbox = outbox;
    }

    @Bean
    public MessageSubscription paymentSubscription() {
        return MessageSubscription.consumer("payment-service")
                .on(OrderCreated.class, this::onOrderCreated)
                .on(StockRejected.class, this::onStockRejected)
                .on(OrderTimedOut.class, this::onOrderTimedOut)
                .on(AuthorizePayment.class, this::onAuthorizePayment)
                .on(RefundPayment.class, this::onRefundPayment)
                .build();
    }

    void onOrderCreated(IncomingMessage<OrderCreated> message) {
        OrderCreated order = message.payload();
        if (order.flow() != SagaFlow.CHOREOGRAPHY) {
            return; // the orchestrator drives this order with commands
        }
        Payment payment = payments.authorize(order.orderId(), order.customerId(), order.total());
        if (payment.status() == PaymentStatus.AUTHORIZED) {
            outbox.append(new PaymentAuthorized(order.orderId(), order.customerId(), payment.amount(),
                    payment.chargeId().toString(), order.items()));
        } else {
            outbox.append(new PaymentDeclined(order.orderId(), order.customerId(), order.total(),
                    payment.reason(), payment.reasonDetail()));
        }
    }

    void onStockRejected(IncomingMessage<StockRejected> message) {
        StockRejected rejected = message.payload();
        if (paymentStore.findCustomerId(rejected.orderId()).isEmpty()) {
            // In the choreography stock is only reserved after an authorization; nothing to give back.
            log.warn("order {} stock rejected but no payment exists; nothing to refund", rejected.orderId());
            return;
        }
        Payment payment = payments.refund(rejected.orderId(), null, null, rejected.reason(), rejected.reasonDetail());
        if (payment.status() == PaymentStatus.REFUNDED) {
            outbox.append(new PaymentRefunded(payment.orderId(), payment.customerId(), payment.amount(),
                    rejected.reason(), rejected.reasonDetail()));
        }
    }

    /**
     * The order passed its choreography deadline. It arrives behind the order's {@code OrderCreated} (same topic
     * and key), so the authorization has been decided, or its message was dead-lettered: then the key is voided
     * and a VOIDED payment recorded, and a replay of that message declines instead of charging.
     */
    void onOrderTimedOut(IncomingMessage<OrderTimedOut> message) {
        OrderTimedOut order = message.payload();
        String detail = "order passed its choreography deadline";
        Payment payment = payments.refund(order.orderId(), order.customerId(), order.total(), RejectionReason.TIMED_OUT, detail);
        if (payment.status() == PaymentStatus.REFUNDED && payment.reason() == RejectionReason.TIMED_OUT) {
            outbox.append(new PaymentRefunded(payment.orderId(), payment.customerId(), payment.amount(),
                    RejectionReason.TIMED_OUT, detail));
        }
    }

    void onAuthorizePayment(IncomingMessage<AuthorizePayment> message) {
        AuthorizePayment command = message.payload();
        Payment payment = payments.authorize(command.orderId(), command.customerId(), command.amount());
        outbox.append(payment.status() == PaymentStatus.AUTHORIZED
                ? SagaReply.success(command)
                : SagaReply.failure(command, payment.reason() == null
                        ? RejectionReason.PAYMENT_FAILED : payment.reason(),
                        payment.status() == PaymentStatus.VOIDED
                                ? "payment was compensated before it was authorized" : payment.reasonDetail()));
    }

    void onRefundPayment(IncomingMessage<RefundPayment> message) {
        RefundPayment command = message.payload();
        payments.refund(command.orderId(), command.customerId(), command.amount(), null, "compensation of saga " + command.sagaId());
        outbox.append(SagaReply.success(command));
    }
}
