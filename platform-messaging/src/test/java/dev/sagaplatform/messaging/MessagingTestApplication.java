package dev.sagaplatform.messaging;

import dev.sagaplatform.contracts.order.OrderCreated;
import dev.sagaplatform.contracts.payment.PaymentAuthorized;
import dev.sagaplatform.messaging.consumer.IncomingMessage;
import dev.sagaplatform.messaging.consumer.MessageSubscription;
import dev.sagaplatform.messaging.consumer.TransientFailure;
import dev.sagaplatform.messaging.outbox.OutboxWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A minimal service using the library: one handler that records its effect in a table. No component scan: like a
 * service, it gets the library through its auto-configurations only, never by scanning the library's packages.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class MessagingTestApplication {

    /** A customer id that makes the handler fail every time: a message no retry can fix. */
    static final String FAILING_CUSTOMER = "always-fails";
    /** Customer ids "serialization-failure-N": the handler's transaction fails N times with PostgreSQL's 40001. */
    static final String SERIALIZATION_FAILURE = "serialization-failure-";
    /** Customer ids "unavailable-N": the handler throws a {@link TransientFailure} N times. */
    static final String UNAVAILABLE = "unavailable-";
    /** A customer id whose orders the handler answers with a {@code PaymentAuthorized} in the outbox, as a participant does. */
    static final String ANSWERED_CUSTOMER = "answered";

    /** A service has one through actuator; here it shows the library's own metrics, e.g. the database retry's. */
    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Bean
    RecordingHandler recordingHandler(JdbcClient jdbc, OutboxWriter outbox) {
        return new RecordingHandler(jdbc, outbox);
    }

    @Bean
    @ConditionalOnProperty("test.subscription.enabled")
    MessageSubscription testSubscription(RecordingHandler handler) {
        return MessageSubscription.consumer("messaging-test")
                .on(OrderCreated.class, handler::handle)
                .build();
    }

    @Bean
    @ConditionalOnProperty("test.dead-letter-subscription.enabled")
    BuggyHandler buggyHandler(JdbcClient jdbc) {
        return new BuggyHandler(jdbc);
    }

    /** A second consumer with a bug a test switches on and off per order, on a topic the first does not read. */
    @Bean
    @ConditionalOnProperty("test.dead-letter-subscription.enabled")
    MessageSubscription deadLetterTestSubscription(BuggyHandler handler) {
        return MessageSubscription.consumer(BuggyHandler.CONSUMER)
                .on(PaymentAuthorized.class, handler::handle)
                .build();
    }

    /** Fails for the orders it is told to, as a bug would, until the bug is "fixed"; otherwise records its effect. */
    static class BuggyHandler {

        static final String CONSUMER = "dead-letter-test";

        private final Set<UUID> failing = ConcurrentHashMap.newKeySet();
        private final JdbcClient jdbc;

        BuggyHandler(JdbcClient jdbc) {
            this.jdbc = jdbc;
        }

        void failFor(UUID orderId) {
            failing.add(orderId);
        }

        void fix(UUID orderId) {
            failing.remove(orderId);
        }

        void handle(IncomingMessage<PaymentAuthorized> message) {
            UUID orderId = message.payload().orderId();
            if (failing.contains(orderId)) {
                throw new IllegalStateException("simulated bug for order " + orderId);
            }
            jdbc.sql("insert into test_effect (message_id, order_id) values (?, ?)").params(message.messageId(), orderId).update();
        }
    }

    static class RecordingHandler {

        final AtomicInteger failedAttempts = new AtomicInteger();
        /** Every run of the handler per order, failed or not. */
        final Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();
        private final JdbcClient jdbc;
        private final OutboxWriter outbox;

        RecordingHandler(JdbcClient jdbc, OutboxWriter outbox) {
            this.jdbc = jdbc;
            this.outbox = outbox;
        }

        void handle(IncomingMessage<OrderCreated> message) {
            jdbc.sql("insert into test_effect (message_id, order_id) values (?, ?)")
                    .params(message.messageId(), message.payload().orderId())
                    .update();
            int run = runs.computeIfAbsent(message.payload().orderId(), id -> new AtomicInteger()).incrementAndGet();
            String customer = message.payload().customerId();
            if (ANSWERED_CUSTOMER.equals(customer)) {
                OrderCreated order = message.payload();
                outbox.append(new PaymentAuthorized(order.orderId(), customer, order.total(), UUID.randomUUID().toString(), order.items()));
            }
            if (FAILING_CUSTOMER.equals(customer)) {
                failedAttempts.incrementAndGet();
                throw new IllegalStateException("handler fails for " + FAILING_CUSTOMER);
            }
            if (customer.startsWith(SERIALIZATION_FAILURE) && run <= failuresWanted(customer, SERIALIZATION_FAILURE)) {
                // A real error from PostgreSQL, as a concurrent SERIALIZABLE transaction would cause it.
                jdbc.sql("do $$ begin raise exception 'could not serialize access' using errcode = '40001'; end $$").update();
            }
            if (customer.startsWith(UNAVAILABLE) && run <= failuresWanted(customer, UNAVAILABLE)) {
                throw new DependencyDown("the remote system is down (run " + run + ")");
            }
        }

        private static int failuresWanted(String customer, String prefix) {
            return Integer.parseInt(customer.substring(prefix.length()));
        }
    }

    /** What a service throws when a remote system it needs cannot answer now. */
    static class DependencyDown extends RuntimeException implements TransientFailure {

        DependencyDown(String message) {
            super(message);
        }
    }
}
