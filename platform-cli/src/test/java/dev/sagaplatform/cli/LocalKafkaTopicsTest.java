package dev.sagaplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.contracts.Topics;
import java.nio.file.Path;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
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
}
