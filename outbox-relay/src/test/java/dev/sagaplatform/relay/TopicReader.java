package dev.sagaplatform.relay;

import static org.awaitility.Awaitility.await;

import dev.sagaplatform.contracts.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning and collects every record, duplicates included. */
final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    TopicReader(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "relay-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        consumer.subscribe(List.of(topic));
    }

    /** Polls until every id in {@code expected} has been seen at least once. */
    List<ConsumerRecord<String, String>> awaitIds(Collection<UUID> expected, Duration timeout) {
        Set<String> missing = new LinkedHashSet<>();
        expected.forEach(id -> missing.add(id.toString()));
        records.forEach(r -> missing.remove(eventId(r)));
        await().atMost(timeout).pollInterval(Duration.ZERO).until(() -> {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                records.add(record);
                missing.remove(eventId(record));
            }
            return missing.isEmpty();
        });
        return List.copyOf(records);
    }

    List<ConsumerRecord<String, String>> records() {
        return List.copyOf(records);
    }

    static String eventId(ConsumerRecord<?, ?> record) {
        return header(record, Headers.EVENT_ID);
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
