package dev.sagaplatform.messaging.deadletter;

import dev.sagaplatform.contracts.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The records on the dead-letter topics, and putting them back on their original topic once their cause is fixed.
 * Plain kafka-clients and nothing else, because both the services' admin API and the {@code ./platform} command
 * (a plain Java program without Spring) use it.
 * <p>
 * A replayed record keeps its key, value and headers (its event id among them) and loses the recoverer's
 * {@value DeadLetter#DLT_HEADER_PREFIX}{@code *} headers; it gets a {@value #REPLAYED_FROM} header naming the dead
 * letter. Every consumer group that already applied it ignores it (inbox) and the one that failed applies it now,
 * so replaying is safe to repeat. Dead letters are never removed: a dead-letter topic is a log, kept for its
 * retention time.
 * <p>
 * Each call opens its own clients, so an instance is safe to share between threads. Every broker call is bounded
 * by the timeout given; a dead-letter topic not read to its end within it is an error, never a silently short list.
 */
public final class DeadLetterStore {

    public static final String REPLAYED_FROM = "replayed-from";

    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final Duration timeout;

    /**
     * @param consumerConfig the application's Kafka consumer properties (bootstrap servers, security); its group id,
     *                       deserializers and commit settings are replaced, since the store reads by assignment
     * @param producerConfig the application's Kafka producer properties (bootstrap servers, security); serializers,
     *                       acknowledgements and idempotence are the store's own
     */
    public DeadLetterStore(Map<String, ?> consumerConfig, Map<String, ?> producerConfig, Duration timeout) {
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerConfig.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        ownClientId(this.consumerConfig);
        this.consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.producerConfig = new HashMap<>(producerConfig);
        // A replay is one send per record, never part of a transaction.
        this.producerConfig.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        ownClientId(this.producerConfig);
        this.producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.timeout = timeout;
    }

    /** A broker with nothing but its address, as the command line knows it. */
    public static DeadLetterStore forBroker(String bootstrapServers, Duration timeout) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new DeadLetterStore(config, config, timeout);
    }

    /** Every record now on the given dead-letter topics (those that exist), by topic, partition and offset. */
    public List<DeadLetter> list(Collection<String> deadLetterTopics) {
        return read(deadLetterTopics).stream().map(DeadLetter::of).toList();
    }

    /**
     * Sends each dead letter to its original topic, once, in the order given, each acknowledged by every in-sync
     * replica before the next. Nothing is sent unless every one of them is still on its dead-letter topic.
     *
     * @throws DeadLetterStoreException when one is gone (its topic's retention) or the broker does not answer in time;
     *                                  those sent before a failure stay sent, which a repeated replay absorbs
     */
    public List<Replayed> replay(Collection<DeadLetter> deadLetters) {
        if (deadLetters.isEmpty()) {
            return List.of();
        }
        Set<String> topics = deadLetters.stream().map(DeadLetter::topic).collect(Collectors.toCollection(LinkedHashSet::new));
        Map<String, ConsumerRecord<byte[], byte[]>> onTopic = read(topics).stream()
                .collect(Collectors.toMap(DeadLetterStore::coordinates, Function.identity()));
        Map<String, ConsumerRecord<byte[], byte[]>> chosen = new LinkedHashMap<>();
        for (DeadLetter deadLetter : deadLetters) {
            ConsumerRecord<byte[], byte[]> record = onTopic.get(deadLetter.coordinates());
            if (record == null) {
                throw new DeadLetterStoreException(deadLetter.coordinates() + " is no longer on " + deadLetter.topic());
            }
            chosen.putIfAbsent(deadLetter.coordinates(), record);
        }
        List<Replayed> replayed = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
            for (ConsumerRecord<byte[], byte[]> record : chosen.values()) {
                DeadLetter deadLetter = DeadLetter.of(record);
                ProducerRecord<byte[], byte[]> replay = new ProducerRecord<>(deadLetter.originalTopic(), record.key(), record.value());
                for (Header header : record.headers()) {
                    if (!header.key().startsWith(DeadLetter.DLT_HEADER_PREFIX)) {
                        replay.headers().add(header);
                    }
                }
                replay.headers().add(REPLAYED_FROM, deadLetter.coordinates().getBytes(StandardCharsets.UTF_8));
                send(producer, replay, deadLetter);
                replayed.add(new Replayed(deadLetter.coordinates(), deadLetter.originalTopic(), deadLetter.eventId()));
            }
        }
        return replayed;
    }

    private void send(KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record, DeadLetter deadLetter) {
        try {
            producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterStoreException("interrupted while replaying " + deadLetter.coordinates(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DeadLetterStoreException("could not replay " + deadLetter.coordinates() + " to " + record.topic() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> read(Collection<String> deadLetterTopics) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.listTopics(timeout).forEach((topic, infos) -> {
                if (deadLetterTopics.contains(topic)) {
                    infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
                }
            });
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new DeadLetterStoreException("could not read " + deadLetterTopics + " to their end within " + timeout.toSeconds() + " s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        } catch (KafkaException e) {
            throw new DeadLetterStoreException("could not read " + deadLetterTopics + ": " + e.getMessage(), e);
        }
        records.sort(Comparator.comparing((ConsumerRecord<byte[], byte[]> r) -> r.topic())
                .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
        return records;
    }

    /** A configured client id gets a suffix: the application's own clients already use it as it is. */
    private static void ownClientId(Map<String, Object> config) {
        config.computeIfPresent(CommonClientConfigs.CLIENT_ID_CONFIG, (key, id) -> id + "-dead-letters");
    }

    private static String coordinates(ConsumerRecord<?, ?> record) {
        return record.topic() + ":" + record.partition() + "@" + record.offset();
    }

    /** One dead letter put back: where it was, where it went, and the event id its consumers know it by. */
    public record Replayed(String record, String originalTopic, String eventId) {
    }

    /** Reading the dead-letter topics or replaying failed; the message says which and why. */
    public static final class DeadLetterStoreException extends RuntimeException {

        DeadLetterStoreException(String message) {
            super(message);
        }

        DeadLetterStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
