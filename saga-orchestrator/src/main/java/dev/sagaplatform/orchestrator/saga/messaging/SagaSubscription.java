package dev.sagaplatform.orchestrator.saga.messaging;

import dev.sagaplatform.contracts.order.OrderCreated;
import dev.sagaplatform.contracts.saga.SagaReply;
import dev.sagaplatform.messaging.consumer.MessageSubscription;
import dev.sagaplatform.orchestrator.saga.SagaOrchestrator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the orchestrator consumes. Both topics are keyed by order id, so with several instances in
 * the consumer group each order's messages go to one instance, in order.
 */
@Configuration(proxyBeanMethods = false)
public class SagaSubscription {

    /** Consumer group and inbox name. */
    public static final String CONSUMER = "saga-orchestrator";

    @Bean
    MessageSubscription sagaOrchestratorSubscription(SagaOrchestrator orchestrator) {
        return subscription(orchestrator);
    }

    /** Public so that the deterministic simulator subscribes the real orchestrator exactly as Kafka does. */
    public static MessageSubscription subscription(SagaOrchestrator orchestrator) {
        return MessageSubscription.consumer(CONSUMER)
                .on(OrderCreated.class, message -> orchestrator.start(message.payload()))
                .on(SagaReply.class, message -> orchestrator.onReply(message.payload()))
                .build();
    }
}
