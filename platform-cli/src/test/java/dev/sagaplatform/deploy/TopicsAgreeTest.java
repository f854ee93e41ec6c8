package dev.sagaplatform.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagaplatform.contracts.Topics;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The saga's topics are declared once, in platform-contracts' {@link Topics} (names, partitions, retention): the
 * services' Kafka admin creates them from it (platform-messaging), and so does {@code ./platform up}
 * ({@code LocalKafkaTopicsTest}). Kubernetes and compose write them in YAML; this holds the YAML to the same list.
 */
class TopicsAgreeTest {

    private final ObjectMapper json = new ObjectMapper();

    private List<JsonNode> kubernetesTopics() {
        return Repository.yamlDocuments(Repository.read(Repository.root().resolve("k8s/base/kafka/topics.yaml"))).stream()
                .map(document -> (JsonNode) json.valueToTree(document)).toList();
    }

    @Test
    void strimziDeclaresEverySagaTopicAndDeadLetterTopicAndNoOther() {
        assertThat(kubernetesTopics()).allSatisfy(topic -> assertThat(topic.path("kind").asText()).isEqualTo("KafkaTopic"));
        assertThat(kubernetesTopics().stream().map(topic -> topic.path("spec").path("topicName").asText()))
                .containsExactlyInAnyOrderElementsOf(Topics.withDeadLetters());
    }

    @Test
    void strimziTopicsHaveTheContractsPartitionsAndRetentionAndTheClustersReplication() {
        JsonNode kafka = Repository.yamlDocuments(Repository.read(Repository.root().resolve("k8s/base/kafka/kafka.yaml"))).stream()
                .map(document -> (JsonNode) json.valueToTree(document))
                .filter(document -> document.path("kind").asText().equals("Kafka")).findFirst().orElseThrow();
        int replication = kafka.path("spec").path("kafka").path("config").path("default.replication.factor").asInt();

        assertThat(kubernetesTopics()).allSatisfy(topic -> {
            JsonNode spec = topic.path("spec");
            String name = spec.path("topicName").asText();
            assertThat(spec.path("partitions").asInt()).as(name).isEqualTo(Topics.PARTITIONS);
            assertThat(spec.path("replicas").asInt()).as(name).isEqualTo(replication);
            assertThat(spec.path("config").path("retention.ms").asLong()).as(name).isEqualTo(Topics.retention(name).toMillis());
        });
        // A topic the broker creates on first use (a consumer's retry topic, a typo in the base overlay) gets as many.
        assertThat(kafka.path("spec").path("kafka").path("config").path("num.partitions").asInt()).isEqualTo(Topics.PARTITIONS);
    }

    /**
     * Compose creates no topic itself: each service's Kafka admin creates the missing ones at start-up, and the
     * broker creates any other on first use with its default partition count, which must then be the same.
     */
    @Test
    void composesBrokerCreatesTopicsWithTheContractsPartitions() {
        JsonNode compose = json.valueToTree(Repository.yaml(Repository.read(Repository.root().resolve("docker-compose.yml"))));
        JsonNode kafka = compose.path("services").path("kafka").path("environment");

        assertThat(kafka.path("KAFKA_NUM_PARTITIONS").asInt()).isEqualTo(Topics.PARTITIONS);
    }
}
