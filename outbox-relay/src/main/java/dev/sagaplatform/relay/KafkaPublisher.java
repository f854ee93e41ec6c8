package dev.sagaplatform.relay;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.timelimiter.TimeLimiter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a batch and returns only once Kafka has acknowledged every record ({@code acks=all},
 * idempotent producer). On any failure the whole batch is sent again after a backoff, for as long as
 * it takes: a record may then arrive twice, never zero times, and the first copies keep per-key order.
 *
 * <p>Each attempt goes through the Resilience4j instances named {@value #NAME}, in this order:
 * <pre>retry loop (here, unbounded) → circuit breaker → bulkhead → time limiter → send and await acks</pre>
 * <ul>
 * <li>The retry is this class's own loop rather than Resilience4j's {@code Retry}: the relay must never
 *     give up on a batch (its source position is not committed until the batch is acknowledged), and it
 *     must stop at once when interrupted on shutdown.</li>
 * <li>The breaker is shared by all sources: once Kafka fails batch after batch, every source's attempts
 *     fail fast (nothing is sent, nothing waits on {@code max.block.ms}) until a half-open probe gets
 *     through. An open breaker only delays: the attempt counts as failed and the loop keeps the batch.</li>
 * <li>The bulkhead caps how many batches the one shared producer buffers at a time.</li>
 * <li>The time limit bounds each attempt's wait for acknowledgements, behind the producer's own
 *     {@code delivery.timeout.ms}: it cuts an attempt whose futures never complete.</li>
 * </ul>
 */
class KafkaPublisher implements AutoCloseable {

    /** Name of the breaker, bulkhead and time limiter in YAML and metrics. */
    static final String NAME = "kafka";

    private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final CircuitBreaker circuitBreaker;
    private final Bulkhead bulkhead;
    private final TimeLimiter timeLimiter;

    KafkaPublisher(Map<String, Object> producerConfig, Duration initialBackoff, Duration maxBackoff,
                   CircuitBreaker circuitBreaker, Bulkhead bulkhead, TimeLimiter timeLimiter) {
        this(new KafkaProducer<>(producerConfig), initialBackoff, maxBackoff, circuitBreaker, bulkhead, timeLimiter);
    }

    KafkaPublisher(Producer<byte[], byte[]> producer, Duration initialBackoff, Duration maxBackoff,
                   CircuitBreaker circuitBreaker, Bulkhead bulkhead, TimeLimiter timeLimiter) {
        this.producer = producer;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.circuitBreaker = circuitBreaker;
        this.bulkhead = bulkhead;
        this.timeLimiter = timeLimiter;
    }

    /**
     * @param onRetry told about each failed attempt (for health and metrics)
     * @throws InterruptedException when the relay stops; nothing was committed, so it will be resent
     */
    void publishAll(List<ProducerRecord<byte[], byte[]>> records, RetryListener onRetry) throws InterruptedException {
        Callable<Void> attempt = CircuitBreaker.decorateCallable(circuitBreaker, Bulkhead.decorateCallable(bulkhead,
                () -> timeLimiter.executeFutureSupplier(() -> sendAll(records))));
        long backoff = initialBackoff.toMillis();
        for (int attempts = 1; ; attempts++) {
            try {
                attempt.call();
                if (attempts > 1) {
                    log.info("published {} records after {} attempts", records.size(), attempts);
                }
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                onRetry.retrying(attempts, e);
                long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
                log.warn("publishing {} records failed (attempt {}), retrying in {} ms: {}",
                        records.size(), attempts, jittered, e.toString());
                Thread.sleep(jittered);
                backoff = Math.min(maxBackoff.toMillis(), backoff * 2);
            }
        }
    }

    /** Sends every record; the result completes when all are acknowledged, or fails with the first error. */
    private CompletableFuture<Void> sendAll(List<ProducerRecord<byte[], byte[]>> records) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[records.size()];
        for (int i = 0; i < acks.length; i++) {
            CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
            producer.send(records.get(i), (metadata, exception) -> {
                if (exception != null) {
                    ack.completeExceptionally(exception);
                } else {
                    ack.complete(metadata);
                }
            });
            acks[i] = ack;
        }
        return CompletableFuture.allOf(acks);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    @FunctionalInterface
    interface RetryListener {
        void retrying(int attempt, Throwable cause);
    }
}
