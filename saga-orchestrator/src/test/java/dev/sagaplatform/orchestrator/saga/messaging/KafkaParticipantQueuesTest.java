package dev.sagaplatform.orchestrator.saga.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.orchestrator.saga.OrchestratorProperties;
import dev.sagaplatform.orchestrator.saga.domain.ParticipantBacklog;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * Against a real broker: a participant group with messages queued that committed progress within the
 * last few looks explains a late reply; the same group with no progress for longer does not; an unknown lag
 * (nothing sampled yet) is "unknown", so the deadline holds. The samples are taken when the test says.
 */
@Tag(RealInfrastructure.TAG)
class KafkaParticipantQueuesTest {

    private static final TopicPartition PAYMENT_COMMANDS_0 = new TopicPartition(Topics.PAYMENT_COMMANDS, 0);

    private final String paymentGroup = "payment-test-" + UUID.randomUUID();
    private final String bootstrap = TestInfrastructure.get().kafkaBootstrapServers();
    private KafkaParticipantQueues queues;

    @BeforeEach
    void start() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(Topics.PAYMENT_COMMANDS, Topics.PARTITIONS, (short) 1))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(bootstrap));
        OrchestratorProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                "orchestrator.participants.payment-commands", paymentGroup,
                "orchestrator.participants.inventory-commands", "inventory-test-" + UUID.randomUUID(),
                "orchestrator.participants.sample-interval", "1h")))
                .bindOrCreate("orchestrator", OrchestratorProperties.class);
        queues = new KafkaParticipantQueues(kafka, properties);
        queues.start(); // takes the first sample at once, then (with an hour's interval) only when the test asks
        await().atMost(Duration.ofSeconds(30)).until(() -> !queues.backlogOf("AuthorizePayment", Duration.ofSeconds(1))
                .equals(ParticipantBacklog.unknown()));
    }

    @AfterEach
    void stop() {
        queues.stop();
    }

    @Test
    void aGroupWorkingThroughAQueueExplainsTheWaitAndAStalledOneDoesNot() {
        long first = produce(6);
        commit(first + 2);

        queues.sampleOnce();
        ParticipantBacklog busy = queues.backlogOf("AuthorizePayment", Duration.ofSeconds(12));

        assertThat(busy.queued()).isGreaterThanOrEqualTo(4);
        assertThat(busy.consuming()).isTrue();
        assertThat(busy.waitedSoFar()).isEqualTo(Duration.ofSeconds(12));
        assertThat(busy.explainsTheWait()).isTrue();
        assertThat(queues.backlogOf("RefundPayment", Duration.ofSeconds(1)).explainsTheWait())
                .as("every command of the same topic is answered by the same group").isTrue();
        assertThat(queues.backlogOf("ReserveStock", Duration.ofSeconds(1)).explainsTheWait())
                .as("another participant's queue is its own").isFalse();

        for (int look = 0; look < KafkaParticipantQueues.SAMPLES_OF_PROGRESS - 1; look++) {
            queues.sampleOnce(); // a few looks without a commit: a busy participant between two commits
            assertThat(queues.backlogOf("AuthorizePayment", Duration.ofSeconds(12)).explainsTheWait()).isTrue();
        }
        queues.sampleOnce(); // one more: messages queued and nobody consuming them
        ParticipantBacklog stalled = queues.backlogOf("AuthorizePayment", Duration.ofSeconds(12));

        assertThat(stalled.queued()).isGreaterThanOrEqualTo(4);
        assertThat(stalled.consuming()).isFalse();
        assertThat(stalled.explainsTheWait()).isFalse();

        commit(first + 6);
        queues.sampleOnce();
        assertThat(queues.backlogOf("AuthorizePayment", Duration.ofSeconds(1)).queued())
                .as("caught up: nothing left that would explain a wait").isZero();
    }

    @Test
    void commandsOfNoKnownParticipantHaveAnUnknownBacklog() {
        assertThat(queues.backlogOf("NoSuchCommand", Duration.ofSeconds(5))).isEqualTo(ParticipantBacklog.unknown());
    }

    /** Appends {@code count} records to partition 0; returns the offset of the first. */
    private long produce(int count) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new StringSerializer())) {
            long first = -1;
            for (int i = 0; i < count; i++) {
                long offset = producer.send(new ProducerRecord<>(Topics.PAYMENT_COMMANDS, 0, "order", "{}")).get().offset();
                first = first < 0 ? offset : first;
            }
            return first;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The participant's group commits its position on partition 0, as its listener container would. */
    private void commit(long offset) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, paymentGroup),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(PAYMENT_COMMANDS_0));
            consumer.commitSync(Map.of(PAYMENT_COMMANDS_0, new OffsetAndMetadata(offset)));
        }
    }
}
