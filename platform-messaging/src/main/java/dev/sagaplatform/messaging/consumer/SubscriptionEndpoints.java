package dev.sagaplatform.messaging.consumer;

import dev.sagaplatform.messaging.MessagingProperties;
import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.messaging.inbox.ProcessedMessages;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.List;
import org.springframework.kafka.annotation.KafkaListenerConfigurer;
import org.springframework.kafka.config.KafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpoint;
import org.springframework.kafka.config.KafkaListenerEndpointRegistrar;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.kafka.support.converter.MessageConverter;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One Kafka listener endpoint per {@link MessageSubscription} bean, registered with Spring Kafka's
 * {@code KafkaListenerEndpointRegistry} as a {@code @KafkaListener} method would be. The registry creates each
 * container from the platform's listener container factory (configured by Spring Boot, so
 * {@code spring.kafka.listener.*} applies: concurrency, observations, listener metrics, ack mode, ...) and starts
 * and stops it with the application context. The container of subscription {@code c} has the id
 * {@link #listenerId(String) subscription-c}, e.g. for {@code registry.getListenerContainer(...)}.
 */
public class SubscriptionEndpoints implements KafkaListenerConfigurer {

    private static final String ID_PREFIX = "subscription-";

    private final List<MessageSubscription> subscriptions;
    private final KafkaListenerContainerFactory<?> containerFactory;
    private final MessagingProperties.Consumer properties;
    private final MessageCodec codec;
    private final ProcessedMessages inbox;
    private final TransactionTemplate transactions;
    private final Retry databaseRetry;
    private final MeterRegistry meters;

    public SubscriptionEndpoints(List<MessageSubscription> subscriptions, KafkaListenerContainerFactory<?> containerFactory,
                                 MessagingProperties.Consumer properties, MessageCodec codec, ProcessedMessages inbox,
                                 TransactionTemplate transactions, Retry databaseRetry, MeterRegistry meters) {
        this.subscriptions = List.copyOf(subscriptions);
        this.containerFactory = containerFactory;
        this.properties = properties;
        this.codec = codec;
        this.inbox = inbox;
        this.transactions = transactions;
        this.databaseRetry = databaseRetry;
        this.meters = meters;
    }

    /** The listener container id of the subscription named {@code consumer}. */
    public static String listenerId(String consumer) {
        return ID_PREFIX + consumer;
    }

    @Override
    public void configureKafkaListeners(KafkaListenerEndpointRegistrar registrar) {
        for (MessageSubscription subscription : subscriptions) {
            registrar.registerEndpoint(new Endpoint(subscription, properties.groupId(subscription.consumer()),
                    new SubscriptionListener(subscription, codec, inbox, transactions, databaseRetry, meters)), containerFactory);
        }
    }

    /**
     * A subscription as an endpoint: its topics, its consumer group (with the configured suffix), the subscription's name
     * as the client id prefix, and its listener. Concurrency and auto-startup are left to the factory.
     */
    private record Endpoint(MessageSubscription subscription, String groupId, SubscriptionListener listener)
            implements KafkaListenerEndpoint {

        @Override
        public String getId() {
            return listenerId(subscription.consumer());
        }

        @Override
        public String getGroupId() {
            return groupId;
        }

        @Override
        public String getGroup() {
            return null;
        }

        @Override
        public Collection<String> getTopics() {
            return subscription.topics();
        }

        @Override
        public TopicPartitionOffset[] getTopicPartitionsToAssign() {
            return null;
        }

        @Override
        public java.util.regex.Pattern getTopicPattern() {
            return null;
        }

        @Override
        public String getClientIdPrefix() {
            return subscription.consumer();
        }

        @Override
        public Integer getConcurrency() {
            return null;
        }

        @Override
        public Boolean getAutoStartup() {
            return null;
        }

        @Override
        public void setupListenerContainer(MessageListenerContainer container, MessageConverter messageConverter) {
            container.setupMessageListener(listener);
        }

        @Override
        public boolean isSplitIterables() {
            return false;
        }
    }
}
