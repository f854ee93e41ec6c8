package dev.sagaplatform.messaging;

import dev.sagaplatform.contracts.order.OrderCreated;
import dev.sagaplatform.messaging.consumer.IncomingMessage;
import dev.sagaplatform.messaging.consumer.MessageSubscription;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A minimal service using the library: one handler that records its effect in a table. */
@SpringBootApplication
public class MessagingTestApplication {

    /** A customer id that makes the handler fail every time: a message no retry can fix. */
    static final String FAILING_CUSTOMER = "always-fails";

    @Bean
    RecordingHandler recordingHandler(JdbcClient jdbc) {
        return new RecordingHandler(jdbc);
    }

    @Bean
    @ConditionalOnProperty("test.subscription.enabled")
    MessageSubscription testSubscription(RecordingHandler handler) {
        return MessageSubscription.consumer("messaging-test")
                .on(OrderCreated.class, handler::handle)
                .build();
    }

    static class RecordingHandler {

        final AtomicInteger failedAttempts = new AtomicInteger();
        private final JdbcClient jdbc;

        RecordingHandler(JdbcClient jdbc) {
            this.jdbc = jdbc;
        }

        void handle(IncomingMessage<OrderCreated> message) {
            jdbc.sql("insert into test_effect (message_id, order_id) values (?, ?)")
                    .params(message.messageId(), message.payload().orderId())
                    .update();
            if (FAILING_CUSTOMER.equals(message.payload().customerId())) {
                failedAttempts.incrementAndGet();
                throw new IllegalStateException("handler fails for " + FAILING_CUSTOMER);
            }
        }
    }
}
