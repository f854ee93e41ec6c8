package dev.sagaplatform.order.orders.messaging;

import dev.sagaplatform.messaging.consumer.MessageSubscription;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SagaOutcomeSubscription {

    @Bean
    MessageSubscription orderServiceSubscription(SagaOutcomeHandlers handlers) {
        return handlers.subscription();
    }
}
