package dev.sagaplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code ./platform up} creates the topics platform-contracts declares, as the services' Kafka admin would. */
class LocalKafkaTopicsTest {

    @Test
    void createsEverySagaTopicAndDeadLetterTopicWithTheContractsPartitionsAndRetention() {
        assertThat(Topics.withDeadLetters()).map(LocalKafka::newTopic).allSatisfy(topic -> {
            assertThat(topic.numPartitions()).isEqualTo(Topics.PARTITIONS);
            assertThat(topic.replicationFactor()).as("the broker's default").isEqualTo((short) -1);
            assertThat(topic.configs()).containsEntry(TopicConfig.RETENTION_MS_CONFIG,
                    String.valueOf(Topics.retention(topic.name()).toMillis()));
        });
        assertThat(Topics.withDeadLetters().stream().map(LocalKafka::newTopic).map(NewTopic::name)).contains("order.events.DLT");
    }

    @Test
    void theBrokerCreatesAnyOtherTopicWithTheSamePartitions() {
        assertThat(LocalKafka.serverProperties(Path.of("data"), 9092, 9093).getProperty("num.partitions"))
                .isEqualTo(String.valueOf(Topics.PARTITIONS));
    }

    /**
     * A run folder from before {@code Topics.PARTITIONS} was raised keeps its broker's data: its topics still have the
     * old count, and {@code up --replicas N} would start instances that get no partition. Topic names of this test's
     * own, so the shared broker's saga topics stay as other tests expect them.
     */
    @Test
    @Tag(RealInfrastructure.TAG)
    void growsTheTopicsOfAnExistingRunFolderToTheContractsPartitionsAndCreatesTheMissingOnes() throws Exception {
        String bootstrap = TestInfrastructure.get().kafkaBootstrapServers();
        String run = "grow-" + UUID.randomUUID();
        String older = run + ".order.events";
        String current = run + ".payment.events";
        String missing = run + ".order.events.DLT";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(older, 3, (short) 1), new NewTopic(current, Topics.PARTITIONS, (short) 1)))
                    .all().get();

            LocalKafka.ensureTopics(bootstrap, List.of(older, current, missing));
            // A second up finds everything in shape and changes nothing.
            LocalKafka.ensureTopics(bootstrap, List.of(older, current, missing));

            // The broker's metadata follows the controller's decision shortly after the call returns: a topic just
            // created may be unknown to it for a moment (a CI run saw UnknownTopicOrPartitionException here).
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Map<String, TopicDescription> topics = describe(admin, List.of(older, current, missing), deadline);
            while (topics.values().stream().anyMatch(topic -> topic.partitions().size() != Topics.PARTITIONS)
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
                topics = describe(admin, List.of(older, current, missing), deadline);
            }
            assertThat(topics.values()).allSatisfy(topic ->
                    assertThat(topic.partitions()).as(topic.name()).hasSize(Topics.PARTITIONS));
        }
    }

    private static Map<String, TopicDescription> describe(Admin admin, List<String> names, long deadline) throws Exception {
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
