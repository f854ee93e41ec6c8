package dev.sagaplatform.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

@Tag(RealInfrastructure.TAG)
class KafkaBrokerProcessTest {

    @Test
    void testClasspathCarriesTheStandaloneBroker() {
        assertThat(System.getProperty("java.class.path")).contains("kafka_2.13");
    }

    @Test
    void recordWrittenBeforeACrashIsReadAfterRestart(@TempDir Path dataDir) throws Exception {
        String topic = "crash-" + UUID.randomUUID();
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dataDir, 0)) {
            String bootstrapServers = broker.bootstrapServers();
            KafkaTestClients.send(bootstrapServers, topic, "order-1", "written before the crash");

            broker.kill();
            assertThat(broker.isAlive()).isFalse();
            broker.restart();
            // The child logs through the quiet Logback configuration: its start-up line and no INFO flood.
            assertThat(broker.tailLog(200)).contains("Kafka Server started").doesNotContain(" INFO  o.a.k.");

            assertThat(broker.bootstrapServers()).isEqualTo(bootstrapServers);
            assertThat(KafkaTestClients.readFromBeginning(bootstrapServers, topic, 1, Duration.ofSeconds(60)))
                    .as("records after restart; broker log:\n%s", broker.tailLog(30))
                    .singleElement()
                    .satisfies(record -> assertThat(record.value()).isEqualTo("written before the crash"));
        }
    }
}
