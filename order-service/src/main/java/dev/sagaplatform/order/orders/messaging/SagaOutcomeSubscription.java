package dev.sagaplatform.order.orders.messaging;

import dev.sagaplatform.contracts.inventory.StockReserved;
import dev.sagaplatform.contracts.payment.PaymentDeclined;
import dev.sagaplatform.contracts.payment.PaymentRefunded;
import dev.sagaplatform.contracts.saga.ApproveOrder;
import dev.sagaplatform.contracts.saga.RejectOrder;
import dev.sagaplatform.messaging.consumer.MessageSubscription;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SagaOutcomeSubscription {

    /** Consumer group and inbox name. */
    static final String CONSUMER = "order-service";

    @Bean
    MessageSubscription orderServiceSubscription(SagaOutcomeHandlers handlers) {
        return MessageSubscription.consumer(CONSUMER)
                .on(StockReserved.class, handlers::stockReserved)
                .on(PaymentDeclined.class, handlers::paymentDeclined)
                .on(PaymentRefunded.class, handlers::paymentRefunded)
                .on(ApproveOrder.class, handlers::approveOrder)
                .on(RejectOrder.class, handlers::rejectOrder)
                .build();
    }
}
