package dev.sagaplatform.messaging;

import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.messaging.consumer.DeadLetterErrorHandlerFactory;
import dev.sagaplatform.messaging.consumer.MessageSubscription;
import dev.sagaplatform.messaging.consumer.SubscriptionContainers;
import dev.sagaplatform.messaging.inbox.ProcessedMessages;
import dev.sagaplatform.messaging.outbox.OutboxWriter;
import dev.sagaplatform.messaging.retention.RetentionCleanup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Everything a service needs to send through its outbox and consume idempotently. Including this
 * library adds the outbox and inbox migrations to the service's Flyway locations.
 */
@AutoConfiguration(after = {FlywayAutoConfiguration.class, JdbcClientAutoConfiguration.class,
        KafkaAutoConfiguration.class, TransactionAutoConfiguration.class})
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingAutoConfiguration {

    static final String MIGRATIONS = "classpath:db/messaging";

    @Bean
    FlywayConfigurationCustomizer messagingMigrations() {
        return configuration -> {
            var locations = Stream.concat(Arrays.stream(configuration.getLocations()).map(Object::toString),
                    Stream.of(MIGRATIONS)).distinct().toArray(String[]::new);
            configuration.locations(locations);
        };
    }

    @Bean
    @ConditionalOnMissingBean
    MessageCodec messageCodec() {
        return new MessageCodec();
    }

    @Bean
    @ConditionalOnMissingBean
    OutboxWriter outboxWriter(JdbcClient jdbc, MessageCodec codec) {
        return new OutboxWriter(jdbc, codec);
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessedMessages processedMessages(JdbcClient jdbc) {
        return new ProcessedMessages(jdbc);
    }

    @Bean
    @ConditionalOnMissingBean
    RetentionCleanup retentionCleanup(JdbcClient jdbc, MessagingProperties properties, ObjectProvider<Clock> clock) {
        return new RetentionCleanup(jdbc, properties.retention(), clock.getIfAvailable(Clock::systemUTC));
    }

    /** Dead-letter publishing is infrastructure, the one place a plain producer is right. */
    @Bean
    @ConditionalOnMissingBean(name = "deadLetterTemplate")
    KafkaTemplate<String, byte[]> deadLetterTemplate(KafkaProperties kafka) {
        Map<String, Object> config = kafka.buildProducerProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
    }

    @Bean
    @ConditionalOnMissingBean(name = "messagingErrorHandler")
    CommonErrorHandler messagingErrorHandler(KafkaTemplate<String, byte[]> deadLetterTemplate, MessagingProperties properties) {
        return DeadLetterErrorHandlerFactory.create(deadLetterTemplate, properties.consumer());
    }

    @Bean
    SubscriptionContainers subscriptionContainers(List<MessageSubscription> subscriptions, KafkaProperties kafka,
                                                  CommonErrorHandler messagingErrorHandler, MessagingProperties properties,
                                                  MessageCodec codec, ProcessedMessages inbox,
                                                  PlatformTransactionManager transactionManager,
                                                  ObjectProvider<MeterRegistry> meters) {
        return new SubscriptionContainers(subscriptions, kafka.buildConsumerProperties(), messagingErrorHandler,
                properties, codec, inbox, new TransactionTemplate(transactionManager),
                meters.getIfAvailable(SimpleMeterRegistry::new));
    }
}
