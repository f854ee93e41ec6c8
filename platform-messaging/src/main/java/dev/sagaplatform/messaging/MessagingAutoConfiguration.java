package dev.sagaplatform.messaging;

import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.messaging.consumer.DeadLetterErrorHandlerFactory;
import dev.sagaplatform.messaging.deadletter.DeadLetterTally;
import dev.sagaplatform.messaging.time.DatabaseClock;
import dev.sagaplatform.messaging.consumer.MessageSubscription;
import dev.sagaplatform.messaging.consumer.SubscriptionEndpoints;
import dev.sagaplatform.messaging.ids.IdGenerator;
import dev.sagaplatform.messaging.inbox.ProcessedMessages;
import dev.sagaplatform.messaging.simulation.PlantedBugs;
import dev.sagaplatform.messaging.outbox.OutboxWriter;
import dev.sagaplatform.messaging.retention.RetentionCleanup;
import dev.sagaplatform.messaging.consumer.TransientDatabaseFailure;
import dev.sagaplatform.messaging.trace.TraceContext;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
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

    /**
     * Cooperative incremental rebalancing for every subscription's consumers, in every service: when an instance joins
     * or leaves its group, only the partitions that move are revoked, and the other instances go on consuming through
     * the rebalance instead of all stopping (the classic protocol's default, Range first, is eager: every member gives
     * up every partition). With {@code ./platform up --replicas N} and rolling restarts, rebalances are routine.
     *
     * <p>Chosen over KIP-848's {@code group.protocol=consumer}, which every broker the platform runs (Kafka 4.1.2
     * locally, in the tests, in compose; 4.1.0 under Strimzi in k8s) would accept and Spring Kafka 4 supports: that
     * protocol swaps in another consumer implementation (the asynchronous consumer) under every listener and refuses
     * client-side settings such as this one, and every test of the platform (rebalances, chaos, the orchestrator's
     * reading of consumer-group lag) has run classic groups only. Cooperative-sticky gives the incremental part on the
     * classic protocol; moving to KIP-848 later is this one setting. A group whose members still run the old default
     * ({@code [Range, CooperativeSticky]}) moves over in one rolling restart, since both lists contain this assignor.
     */
    static final String ASSIGNOR = CooperativeStickyAssignor.class.getName();

    /** How long a silent member keeps its partitions (see the container factory); Kafka's brokers allow 6 s to 30 min. */
    static final int SESSION_TIMEOUT_MS = 10_000;
    static final int HEARTBEAT_INTERVAL_MS = 3_000;

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

    /** The service's tracer and propagator (Micrometer Tracing over OpenTelemetry); no-ops where there is no tracer. */
    @Bean
    @ConditionalOnMissingBean
    TraceContext traceContext(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new TraceContext(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    @Bean
    @ConditionalOnMissingBean
    OutboxWriter outboxWriter(JdbcClient jdbc, MessageCodec codec, TraceContext traceContext) {
        return new OutboxWriter(jdbc, codec, traceContext);
    }

    @Bean
    @ConditionalOnMissingBean
    IdGenerator idGenerator() {
        return IdGenerator.RANDOM;
    }

    /** Only the simulator's and the chaos runner's deliberately broken builds switch bugs on. */
    @Bean
    @ConditionalOnMissingBean
    PlantedBugs plantedBugs() {
        return PlantedBugs.NONE;
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
        var template = new KafkaTemplate<String, byte[]>(new DefaultKafkaProducerFactory<>(config));
        // A dead letter's span joins the trace of the message that failed.
        template.setObservationEnabled(true);
        return template;
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
                                             org.springframework.core.env.Environment environment, DeadLetterTally deadLetterTally,
                                             ObjectProvider<MessageSubscription> subscriptions) {
        MeterRegistry registry = meters.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new);
        String service = environment.getProperty("spring.application.name", "application");
        // At zero for every consumed topic: dashboards and increase() in the alert see the series before the first dead letter.
        subscriptions.orderedStream().flatMap(subscription -> subscription.topics().stream()).distinct()
                .forEach(topic -> registry.counter("messaging.dead.letters", "topic", topic, "service", service));
        return DeadLetterErrorHandlerFactory.create(deadLetterTemplate, properties.consumer(), registry, service, deadLetterTally);
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

    /**
     * The listener container factory of every {@link MessageSubscription}, configured by Spring Boot's configurer from
     * {@code spring.kafka.listener.*} like Boot's own {@code kafkaListenerContainerFactory}, with the platform's error
     * handler. Its consumers take the service's consumer settings (Boot's consumer factory, with its customizers,
     * e.g. Kafka client metrics), except for what the listener relies on and the assignor ({@link #ASSIGNOR}), one
     * for all services.
     */
    @Bean
    @ConditionalOnMissingBean(name = "messagingListenerContainerFactory")
    ConcurrentKafkaListenerContainerFactory<Object, Object> messagingListenerContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<?, ?> kafkaConsumerFactory,
            ObjectProvider<DefaultKafkaConsumerFactoryCustomizer> customizers, CommonErrorHandler messagingErrorHandler) {
        Map<String, Object> config = new HashMap<>(kafkaConsumerFactory.getConfigurationProperties());
        // Values are decoded by the listener, so deserialization itself cannot fail and every
        // unreadable record reaches the error handler with its original bytes.
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A consumer group that starts after its producers must still see their first messages.
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, ASSIGNOR);
        // A member that dies without leaving (SIGKILL, a lost node) holds its partitions until the coordinator gives up on
        // it: Kafka's 45 s default stalled every saga on them that long (replica-loss.yaml: saga p99 49 s). 10 s, heartbeats
        // every 3 s; a service may set its own through spring.kafka.consumer.properties.
        config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
        var consumerFactory = new DefaultKafkaConsumerFactory<Object, Object>(config);
        customizers.orderedStream().forEach(customizer -> customizer.customize(consumerFactory));
        var factory = new ConcurrentKafkaListenerContainerFactory<Object, Object>();
        configurer.configure(factory, consumerFactory);
        // Always observed, whatever spring.kafka.listener.observation-enabled says: the observation reads the record's
        // traceparent and makes the handler's span (and so every outbox row it writes) continue the sender's trace.
        // The containers get the observation registry from the application context the registry hands them.
        factory.getContainerProperties().setObservationEnabled(true);
        factory.setCommonErrorHandler(messagingErrorHandler);
        return factory;
    }

    @Bean
    SubscriptionEndpoints subscriptionEndpoints(List<MessageSubscription> subscriptions,
                                                @Qualifier("messagingListenerContainerFactory")
                                                ConcurrentKafkaListenerContainerFactory<Object, Object> containerFactory,
                                                MessagingProperties properties, MessageCodec codec, ProcessedMessages inbox,
                                                PlatformTransactionManager transactionManager,
                                                @Qualifier("databaseRetry") Retry databaseRetry,
                                                ObjectProvider<MeterRegistry> meters) {
        return new SubscriptionEndpoints(subscriptions, containerFactory, properties.consumer(), codec, inbox,
                new TransactionTemplate(transactionManager), databaseRetry, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    /**
     * The saga's topics and their dead-letter topics ({@link Topics#ALL}, {@link Topics#PARTITIONS}, retention),
     * created by Spring Kafka's {@code KafkaAdmin} at start-up where they are missing (an existing topic is left as
     * it is). Where an operator owns the topics (Strimzi's topic operator in {@code k8s/}), set
     * {@code spring.kafka.admin.auto-create=false}.
     */
    @Bean
    @ConditionalOnMissingBean(name = "sagaTopics")
    KafkaAdmin.NewTopics sagaTopics() {
        return new KafkaAdmin.NewTopics(sagaTopicList().toArray(NewTopic[]::new));
    }

    /** Replication is the broker's {@code default.replication.factor}: the cluster knows how many brokers it has. */
    static List<NewTopic> sagaTopicList() {
        return Topics.withDeadLetters().stream()
                .map(topic -> TopicBuilder.name(topic).partitions(Topics.PARTITIONS)
                        .config(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(Topics.retention(topic).toMillis())).build())
                .toList();
    }
}
