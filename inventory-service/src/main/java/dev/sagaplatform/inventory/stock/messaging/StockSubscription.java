package dev.sagaplatform.inventory.stock.messaging;

import dev.sagaplatform.contracts.order.OrderTimedOut;
import dev.sagaplatform.contracts.payment.PaymentAuthorized;
import dev.sagaplatform.contracts.saga.ReleaseStock;
import dev.sagaplatform.contracts.saga.ReserveStock;
import dev.sagaplatform.messaging.consumer.MessageSubscription;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Everything inventory-service consumes, in both flows, under one consumer group and inbox name. */
@Configuration(proxyBeanMethods = false)
public class StockSubscription {

    static final String CONSUMER = "inventory-service";

    @Bean
    public MessageSubscription inventorySubscription(StockMessageHandlers handlers) {
        return MessageSubscription.consumer(CONSUMER)
                .on(PaymentAuthorized.class, handlers::onPaymentAuthorized)
                .on(OrderTimedOut.class, handlers::onOrderTimedOut)
                .on(ReserveStock.class, handlers::onReserveStock)
                .on(ReleaseStock.class, handlers::onReleaseStock)
                .build();
    }
}
