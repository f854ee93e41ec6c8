package dev.sagaplatform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.contracts.order.OrderCreated;
import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.messaging.consumer.SubscriptionEndpoints;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.RelayLikePublisher;
import dev.sagaplatform.testsupport.TestInfrastructure;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;

/**
 * The subscriptions' containers come from Spring Kafka's registry and factory, so Spring Boot's
 * {@code spring.kafka.listener.*} reaches them, and the platform's own settings still apply.
 */
@SpringBootTest(properties = {"test.subscription.enabled=true", "spring.kafka.listener.concurrency=2",
        "spring.kafka.listener.observation-enabled=true"})
@RealInfrastructure
class ListenerContainerSettingsTest {

    private static final String LISTENER = SubscriptionEndpoints.listenerId("messaging-test");

    @Autowired
    KafkaListenerEndpointRegistry registry;
    @Autowired
    CommonErrorHandler messagingErrorHandler;
    @Autowired
    MessagingProperties properties;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ObservedRecords observed;


    @Test
    void aSubscriptionsContainerIsRunByTheRegistryWithBootsListenerSettingsAndThePlatformsOwn() {
        var container = (ConcurrentMessageListenerContainer<?, ?>) registry.getListenerContainer(LISTENER);

        assertThat(container).isNotNull();
        assertThat(container.isRunning()).isTrue();
        assertThat(container.getConcurrency()).isEqualTo(2);
        assertThat(container.getContainerProperties().isObservationEnabled()).isTrue();
        assertThat(container.getCommonErrorHandler()).isSameAs(messagingErrorHandler);
        assertThat(container.getGroupId()).isEqualTo(properties.consumer().groupId("messaging-test"))
                .isNotEqualTo("messaging-test");
        assertThat(container.getContainerProperties().getTopics()).containsExactly(Topics.ORDER_EVENTS);
    }

    @Test
    void aHandledMessageIsObservedUnderItsListenersId() {
        OrderCreated order = new OrderCreated(UUID.randomUUID(), "customer-observed",
                List.of(new OrderLine("SKU-1", 1, new BigDecimal("10.00"))), new BigDecimal("10.00"),
                SagaFlow.CHOREOGRAPHY, Instant.now());

        try (var publisher = RelayLikePublisher.onTestBroker(new MessageCodec()::toJson)) {
            publisher.publish(order);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select count(*) from test_effect where order_id = ?")
                .param(order.orderId()).query(Long.class).single() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> observed.contexts.stream()
                .anyMatch(context -> context.getRecord().key().equals(order.orderId().toString())
                        && context.getListenerId().startsWith(LISTENER)));
    }

    @Test
    void declaresEverySagaTopicAndDeadLetterTopicWithTheContractsPartitionsAndRetention() throws Exception {
        List<NewTopic> declared = MessagingAutoConfiguration.sagaTopicList();
        assertThat(declared).extracting(NewTopic::name).containsExactlyElementsOf(Topics.withDeadLetters());
        assertThat(declared).allSatisfy(topic -> {
            assertThat(topic.numPartitions()).isEqualTo(Topics.PARTITIONS);
            assertThat(topic.configs()).containsEntry(TopicConfig.RETENTION_MS_CONFIG,
                    String.valueOf(Topics.retention(topic.name()).toMillis()));
        });
        // Created at start-up (or already there, created by the broker's default: also that many partitions).
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.get().kafkaBootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.withDeadLetters()).allTopicNames().get();
            assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(Topics.PARTITIONS));
        }
    }

    /** What the listener observations saw: Spring Boot registers this handler with its observation registry. */
    static class ObservedRecords implements ObservationHandler<KafkaRecordReceiverContext> {

        final Queue<KafkaRecordReceiverContext> contexts = new ConcurrentLinkedQueue<>();

        @Override
        public void onStop(KafkaRecordReceiverContext context) {
            contexts.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof KafkaRecordReceiverContext;
        }
    }

    @TestConfiguration
    static class Observations {

        @Bean
        ObservedRecords observedRecords() {
            return new ObservedRecords();
        }
    }
}
