package dev.sagaplatform.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sagaplatform.testsupport.KafkaBrokerProcess;
import dev.sagaplatform.testsupport.RealInfrastructure;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

/**
 * A broker of its own (a separate process, so it can really go away) that is down for a while. The
 * producer's timeouts and the {@code kafka} breaker's window are shortened so that the breaker opens
 * within seconds of the outage instead of a minute.
 */
@Tag(RealInfrastructure.TAG)
class BrokerOutageTest {

    @TempDir
    Path brokerData;

    @Test
    void rowsWrittenWhileKafkaIsDownArePublishedWhenItIsBack() {
        OutboxSource source = OutboxSource.create("outage");
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(brokerData, 0)) {
            List<String> args = new ArrayList<>(RelayArgs.common(broker.bootstrapServers(), source));
            args.addAll(List.of(
                    "--spring.kafka.producer.properties.max.block.ms=1000",
                    "--spring.kafka.producer.properties.request.timeout.ms=1000",
                    "--spring.kafka.producer.properties.delivery.timeout.ms=2000",
                    "--resilience4j.circuitbreaker.instances.kafka.sliding-window-size=3",
                    "--resilience4j.circuitbreaker.instances.kafka.minimum-number-of-calls=3",
                    "--resilience4j.circuitbreaker.instances.kafka.wait-duration-in-open-state=2s"));
            try (ConfigurableApplicationContext relay = new SpringApplicationBuilder(OutboxRelayApplication.class)
                    .run(args.toArray(String[]::new))) {
                OutboxRelay outboxRelay = relay.getBean(OutboxRelay.class);
                CircuitBreaker breaker = relay.getBean(CircuitBreakerRegistry.class).circuitBreaker(KafkaPublisher.NAME);
                List<String> transitions = new CopyOnWriteArrayList<>();
                breaker.getEventPublisher().onStateTransition(e -> transitions.add(
                        e.getStateTransition().getFromState() + "->" + e.getStateTransition().getToState()));
                List<UUID> beforeOutage = source.insert("k", 0, 10);
                try (var reader = new TopicReader(broker.bootstrapServers(), source.topic())) {
                    reader.awaitIds(beforeOutage, Duration.ofSeconds(60));
                }

                broker.stop();
                List<UUID> duringOutage = source.insert("k", 10, 50);
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    SourceState state = outboxRelay.states().get("outage");
                    return state.status() == SourceState.Status.RETRYING && state.detail().contains("Kafka did not acknowledge");
                });
                // Batch after batch fails: the breaker opens, and attempts fail fast while the batch is kept.
                await().atMost(Duration.ofSeconds(60)).until(() -> breaker.getState() == CircuitBreaker.State.OPEN);
                // On /actuator/health (open for 2 s here, so it may already be half-open when read).
                assertThat(health(relay)).contains("\"kafka\"").containsPattern("\"status\":\"CIRCUIT_(HALF_)?OPEN\"");
                broker.restart();

                try (var reader = new TopicReader(broker.bootstrapServers(), source.topic())) {
                    reader.awaitIds(duringOutage, Duration.ofSeconds(120));
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> outboxRelay.states().get("outage").status() == SourceState.Status.RUNNING);
                // A half-open probe batch got through, and the breaker closed again.
                assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
                assertThat(transitions).startsWith("CLOSED->OPEN", "OPEN->HALF_OPEN").endsWith("HALF_OPEN->CLOSED");
            }
        } finally {
            source.dropSlot();
        }
    }

    private static String health(ConfigurableApplicationContext relay) {
        String port = relay.getEnvironment().getProperty("local.server.port");
        return RestClient.create("http://localhost:" + port).get().uri("/actuator/health")
                .header("Authorization", RelayArgs.adminAuthorization())
                .retrieve().onStatus(status -> true, (request, response) -> { }).body(String.class);
    }
}
