package dev.sagaplatform.messaging.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.testsupport.FreePorts;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** Against the real broker, and against a port where nothing listens. */
@RealInfrastructure
class KafkaHealthIndicatorTest {

    @Test
    void upWithTheClusterWhenTheBrokerAnswers(TestInfrastructure infrastructure) throws Exception {
        KafkaHealthIndicator kafka = indicator(infrastructure.kafkaBootstrapServers());
        try {
            Health health = kafka.health(true);

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKey("clusterId").containsEntry("brokers", 1);
        } finally {
            kafka.destroy();
        }
    }

    @Test
    void downWithinItsTimeoutWhenNoBrokerListens() throws Exception {
        KafkaHealthIndicator kafka = indicator("localhost:" + FreePorts.find());
        try {
            long started = System.nanoTime();
            Health health = kafka.health(true);

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        } finally {
            kafka.destroy();
        }
    }

    private static KafkaHealthIndicator indicator(String bootstrapServers) {
        return new KafkaHealthIndicator(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), Duration.ofSeconds(1));
    }
}
