package dev.sagaplatform.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
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
 */
class KafkaPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    KafkaPublisher(Map<String, Object> producerConfig, Duration initialBackoff, Duration maxBackoff) {
        this(new KafkaProducer<>(producerConfig), initialBackoff, maxBackoff);
    }

    KafkaPublisher(Producer<byte[], byte[]> producer, Duration initialBackoff, Duration maxBackoff) {
        this.producer = producer;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /**
     * @param onRetry told about each failed attempt (for health and metrics)
     * @throws InterruptedException when the relay stops; nothing was committed, so it will be resent
     */
    void publishAll(List<ProducerRecord<byte[], byte[]>> records, RetryListener onRetry) throws InterruptedException {
        long backoff = initialBackoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
                for (ProducerRecord<byte[], byte[]> record : records) {
                    acks.add(producer.send(record));
                }
                for (Future<RecordMetadata> ack : acks) {
                    ack.get();
                }
                if (attempt > 1) {
                    log.info("published {} records after {} attempts", records.size(), attempt);
                }
                return;
            } catch (ExecutionException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                onRetry.retrying(attempt, cause);
                long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
                log.warn("publishing {} records failed (attempt {}), retrying in {} ms: {}",
                        records.size(), attempt, jittered, cause.toString());
                Thread.sleep(jittered);
                backoff = Math.min(maxBackoff.toMillis(), backoff * 2);
            }
        }
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
