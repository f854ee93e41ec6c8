package dev.sagaplatform.messaging.consumer;

import dev.sagaplatform.messaging.MessagingProperties;
import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.messaging.inbox.ProcessedMessages;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.transaction.support.TransactionTemplate;

/** One Kafka listener container per {@link MessageSubscription} bean, started and stopped with the application. */
public class SubscriptionContainers implements SmartLifecycle {

    private final List<ConcurrentMessageListenerContainer<String, byte[]>> containers = new ArrayList<>();
    private volatile boolean running;

    public SubscriptionContainers(List<MessageSubscription> subscriptions, Map<String, Object> consumerProperties,
                                  CommonErrorHandler errorHandler, MessagingProperties properties, MessageCodec codec,
                                  ProcessedMessages inbox, TransactionTemplate transactions, Retry databaseRetry,
                                  MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>(consumerProperties);
        // Values are decoded by the listener, so deserialization itself cannot fail and every
        // unreadable record reaches the error handler with its original bytes.
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A consumer group that starts after its producers must still see their first messages.
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var consumerFactory = new DefaultKafkaConsumerFactory<String, byte[]>(config);

        for (MessageSubscription subscription : subscriptions) {
            ContainerProperties containerProperties = new ContainerProperties(subscription.topics().toArray(String[]::new));
            containerProperties.setGroupId(properties.consumer().groupId(subscription.consumer()));
            containerProperties.setClientId(subscription.consumer());
            containerProperties.setMessageListener(
                    new SubscriptionListener(subscription, codec, inbox, transactions, databaseRetry, meters));
            var container = new ConcurrentMessageListenerContainer<>(consumerFactory, containerProperties);
            container.setConcurrency(properties.consumer().concurrency());
            container.setCommonErrorHandler(errorHandler);
            container.setBeanName("subscription-" + subscription.consumer());
            containers.add(container);
        }
    }

    @Override
    public void start() {
        containers.forEach(ConcurrentMessageListenerContainer::start);
        running = true;
    }

    @Override
    public void stop() {
        containers.forEach(ConcurrentMessageListenerContainer::stop);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Containers of this application, e.g. for tests that wait for partition assignment. */
    public List<ConcurrentMessageListenerContainer<String, byte[]>> containers() {
        return List.copyOf(containers);
    }
}
