package dev.sagaplatform.messaging;

import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.messaging.consumer.DeadLetterErrorHandlerFactory;
import dev.sagaplatform.messaging.deadletter.DeadLetterTally;
import dev.sagaplatform.messaging.time.DatabaseClock;
import dev.sagaplatform.messaging.consumer.MessageSubscription;
import dev.sagaplatform.messaging.consumer.SubscriptionContainers;
import dev.sagaplatform.messaging.inbox.ProcessedMessages;
import dev.sagaplatform.messaging.outbox.OutboxWriter;
import dev.sagaplatform.messaging.retention.RetentionCleanup;
import dev.sagaplatform.messaging.consumer.TransientDatabaseFailure;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
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

    /** Name of the consumer transaction's retry, in YAML and in metrics ({@code resilience4j_retry_calls_total{name="database"}}). */
    public static final String DATABASE_RETRY = "database";

    /**
     * Used when the service configures no {@code database} retry: 3 attempts, waits of ~100 ms then
     * ~200 ms (±30 %), only for {@link TransientDatabaseFailure}s. Serialization failures and deadlocks
     * clear within milliseconds once the other transaction ends; a lost connection that is not back
     * after ~300 ms is left to Kafka redelivery, whose backoff is longer and never gives up on it.
     */
    static final RetryConfig DEFAULT_DATABASE_RETRY = RetryConfig.custom()
            .maxAttempts(3)
            .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(100), 2.0, 0.3, Duration.ofSeconds(1)))
            .retryOnException(new TransientDatabaseFailure())
            .build();

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

    /** The database server's clock, shared by every instance of every service (see {@link DatabaseClock}). */
    @Bean
    @ConditionalOnMissingBean
    Clock clock(JdbcClient jdbc) {
        return new DatabaseClock(jdbc);
    }

    @Bean
    @ConditionalOnMissingBean
    RetentionCleanup retentionCleanup(JdbcClient jdbc, MessagingProperties properties, Clock clock) {
        return new RetentionCleanup(jdbc, properties.retention(), clock);
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

    /** What this instance dead-lettered since it started, for the {@code deadLetters} health component. */
    @Bean
    @ConditionalOnMissingBean
    DeadLetterTally deadLetterTally() {
        return new DeadLetterTally(Instant.now());
    }

    @Bean
    @ConditionalOnMissingBean(name = "messagingErrorHandler")
    CommonErrorHandler messagingErrorHandler(KafkaTemplate<String, byte[]> deadLetterTemplate, MessagingProperties properties,
                                             ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters,
                                             org.springframework.core.env.Environment environment, DeadLetterTally deadLetterTally) {
        return DeadLetterErrorHandlerFactory.create(deadLetterTemplate, properties.consumer(),
                meters.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new),
                environment.getProperty("spring.application.name", "application"), deadLetterTally);
    }

    /**
     * The {@code database} retry: the instance of that name from the service's Resilience4j
     * {@link RetryRegistry} if it configures one in YAML (it should then set
     * {@code retry-exception-predicate: dev.sagaplatform.messaging.consumer.TransientDatabaseFailure}),
     * otherwise {@link #DEFAULT_DATABASE_RETRY}, registered so that its metrics appear either way.
     */
    @Bean
    @ConditionalOnMissingBean(name = "databaseRetry")
    Retry databaseRetry(ObjectProvider<RetryRegistry> retryRegistry, ObjectProvider<MeterRegistry> meters) {
        RetryRegistry shared = retryRegistry.getIfAvailable();
        if (shared != null) {
            // The Resilience4j starter publishes metrics for every instance of its registry.
            return shared.find(DATABASE_RETRY).orElseGet(() -> shared.retry(DATABASE_RETRY, DEFAULT_DATABASE_RETRY));
        }
        RetryRegistry own = RetryRegistry.of(DEFAULT_DATABASE_RETRY);
        Retry retry = own.retry(DATABASE_RETRY);
        meters.ifAvailable(registry -> TaggedRetryMetrics.ofRetryRegistry(own).bindTo(registry));
        return retry;
    }

    @Bean
    SubscriptionContainers subscriptionContainers(List<MessageSubscription> subscriptions, KafkaProperties kafka,
                                                  CommonErrorHandler messagingErrorHandler, MessagingProperties properties,
                                                  MessageCodec codec, ProcessedMessages inbox,
                                                  PlatformTransactionManager transactionManager,
                                                  @Qualifier("databaseRetry") Retry databaseRetry,
                                                  ObjectProvider<MeterRegistry> meters) {
        return new SubscriptionContainers(subscriptions, kafka.buildConsumerProperties(), messagingErrorHandler,
                properties, codec, inbox, new TransactionTemplate(transactionManager), databaseRetry,
                meters.getIfAvailable(SimpleMeterRegistry::new));
    }
}
