package dev.sagaplatform.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The publisher's policies on their own, with Kafka's {@link MockProducer} standing in for a broker
 * that never answers or keeps failing; {@code BrokerOutageTest} does the same with a real broker process.
 */
class KafkaPublisherTest {

    private static final List<ProducerRecord<byte[], byte[]>> BATCH = List.of(record("a"), record("b"), record("c"));

    @Test
    void attemptWhoseAcknowledgementsNeverComeIsCutAtTheTimeLimitAndTheBatchIsSentAgain() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaPublisher publisher = publisher(producer, CircuitBreaker.ofDefaults("kafka"), Duration.ofMillis(300));
        List<Throwable> failures = new CopyOnWriteArrayList<>();

        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publish(publisher, failures));
        // The first attempt hangs until the time limit cuts it; then the whole batch goes out again.
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 2 * BATCH.size());
        while (producer.completeNext()) {
            // acknowledge both copies
        }
        publishing.get(10, TimeUnit.SECONDS);

        assertThat(failures).singleElement().isInstanceOf(TimeoutException.class);
        assertThat(producer.history()).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("a", "b", "c", "a", "b", "c");
    }

    @Test
    void brokerThatKeepsFailingOpensTheBreakerAndTheBatchWaitsForAProbeInsteadOfBeingDropped() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        producer.sendException = new NetworkException("broker unreachable");
        CircuitBreaker breaker = CircuitBreaker.of("kafka", CircuitBreakerConfig.custom()
                .slidingWindowSize(3).minimumNumberOfCalls(3)
                .waitDurationInOpenState(Duration.ofMillis(500)).permittedNumberOfCallsInHalfOpenState(1)
                .build());
        List<String> transitions = new CopyOnWriteArrayList<>();
        breaker.getEventPublisher().onStateTransition(e -> transitions.add(
                e.getStateTransition().getFromState() + "->" + e.getStateTransition().getToState()));
        KafkaPublisher publisher = publisher(producer, breaker, Duration.ofSeconds(5));
        List<Throwable> failures = new CopyOnWriteArrayList<>();

        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publish(publisher, failures));
        await().atMost(Duration.ofSeconds(10)).until(() -> failures.stream().anyMatch(CallNotPermittedException.class::isInstance));
        assertThat(breaker.getState()).isIn(CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN);
        assertThat(publishing).isNotDone();

        producer.sendException = null; // the broker is back
        publishing.get(20, TimeUnit.SECONDS);

        assertThat(producer.history()).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("a", "b", "c");
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(transitions).startsWith("CLOSED->OPEN", "OPEN->HALF_OPEN").endsWith("HALF_OPEN->CLOSED");
        assertThat(failures).filteredOn(NetworkException.class::isInstance).hasSizeGreaterThanOrEqualTo(3);
    }

    private static KafkaPublisher publisher(MockProducer<byte[], byte[]> producer, CircuitBreaker breaker, Duration timeLimit) {
        return new KafkaPublisher(producer, Duration.ofMillis(50), Duration.ofMillis(200), breaker,
                Bulkhead.ofDefaults("kafka"),
                TimeLimiter.of("kafka", TimeLimiterConfig.custom().timeoutDuration(timeLimit).build()));
    }

    private static void publish(KafkaPublisher publisher, List<Throwable> failures) {
        try {
            publisher.publishAll(BATCH, (attempt, cause) -> failures.add(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String value) {
        return new ProducerRecord<>("topic", "key".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }
}
