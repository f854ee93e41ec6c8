package dev.sagaplatform.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag(RealInfrastructure.TAG)
class KafkaRoundTripTest {

    @Test
    void recordProducedToTheSharedBrokerIsConsumed() throws Exception {
        String bootstrapServers = TestInfrastructure.get().kafkaBootstrapServers();
        String topic = "round-trip-" + UUID.randomUUID();

        KafkaTestClients.send(bootstrapServers, topic, "order-1", "OrderCreated");
        List<ConsumerRecord<String, String>> records = KafkaTestClients.readFromBeginning(bootstrapServers, topic, 1, Duration.ofSeconds(30));

        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("order-1");
            assertThat(record.value()).isEqualTo("OrderCreated");
        });
    }

    @Test
    void infrastructureIsSharedAndReportsItsMode() {
        TestInfrastructure infrastructure = TestInfrastructure.get();
        assertThat(TestInfrastructure.get()).isSameAs(infrastructure);
        assertThat(infrastructure.mode()).isIn("containers", "embedded");
        assertThat(infrastructure.kafkaBootstrapServers()).matches(".+:\\d+(,.+:\\d+)*");
    }
}
