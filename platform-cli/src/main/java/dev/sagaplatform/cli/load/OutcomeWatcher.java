package dev.sagaplatform.cli.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.contracts.order.OrderApproved;
import dev.sagaplatform.contracts.order.OrderRejected;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Sees each saga end without adding load to the platform: reads {@code OrderApproved} and
 * {@code OrderRejected} from {@code order.events}, which order-service writes in the same transaction
 * as the terminal state. Polling {@code GET /orders/{id}} for every order instead would put a read on
 * the platform per order and per poll, and skew what is measured. No consumer group: it reads every
 * partition from its end at start, so it commits nothing and leaves no trace on the broker.
 */
final class OutcomeWatcher implements AutoCloseable {

    /** One saga's end as seen here; {@code reason} is null for an approval. */
    record Outcome(UUID orderId, String reason, long seenNanos) {
    }

    interface Listener {
        void ended(Outcome outcome);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, byte[]> consumer;
    private final Listener listener;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    OutcomeWatcher(String bootstrapServers, Listener listener) {
        this.listener = listener;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "platform-load-watcher",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
                new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ORDER_EVENTS, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            if (partitions.isEmpty()) {
                throw new LoadException("Kafka at " + bootstrapServers + " has no topic " + Topics.ORDER_EVENTS);
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // fix the start now: nothing sent after this returns is missed
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw new LoadException("No answer from Kafka at " + bootstrapServers + " within 10 s; the load watches "
                    + Topics.ORDER_EVENTS + " there for each saga's end. Is the platform running?");
        }
        thread = new Thread(this::run, "load-outcomes");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    String type = header(record, Headers.EVENT_TYPE);
                    if (OrderApproved.TYPE.name().equals(type) || OrderRejected.TYPE.name().equals(type)) {
                        JsonNode payload = JSON.readTree(record.value());
                        UUID orderId = UUID.fromString(payload.path("orderId").asText());
                        listener.ended(new Outcome(orderId, OrderRejected.TYPE.name().equals(type)
                                ? payload.path("reason").asText("UNKNOWN") : null, now));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable e) {
            failure = e;
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    void checkHealthy() {
        if (failure != null) {
            throw new LoadException("watching " + Topics.ORDER_EVENTS + " failed: " + failure);
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
