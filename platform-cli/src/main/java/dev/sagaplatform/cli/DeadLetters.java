package dev.sagaplatform.cli;

import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./platform dead-letters}: what the consumers gave up on, and putting it back once the cause is fixed.
 * A replayed record goes to its original topic with its key, value and headers (its event id among them), so
 * every consumer group that already applied it ignores it (inbox) and the one that failed applies it now.
 */
@Command(name = "dead-letters", description = {"List the records on the dead-letter topics (<topic>.DLT), or replay them to"
        + " their original topic once their cause is fixed.",
        "Replaying is safe to repeat: each record keeps its event id, and every consumer applies an event id once."},
        subcommands = {DeadLetters.ListRecords.class, DeadLetters.Replay.class})
final class DeadLetters implements Runnable {

    /** Headers Spring Kafka's dead-letter recoverer adds; a replayed record leaves them behind. */
    static final String DLT_HEADER_PREFIX = "kafka_dlt-";
    static final String REPLAYED_FROM = "replayed-from";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where the broker is and which dead-letter topics to read. */
    static final class Selection {
        @Option(names = "--topic", paramLabel = "T", description = "Only the dead letters of this topic (e.g. order.events).")
        String topic;
        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
                description = "The broker (default: the local platform's); e.g. localhost:9092 for docker compose.")
        String bootstrapServers;

        String broker(PlatformCli.Location location) {
            return bootstrapServers != null ? bootstrapServers : "127.0.0.1:" + location.platform().ports().get(Component.KAFKA);
        }

        List<String> deadLetterTopics() {
            if (topic != null && !Topics.ALL.contains(topic)) {
                throw new CliException("--topic " + topic + ": one of " + String.join(", ", Topics.ALL));
            }
            return (topic == null ? Topics.ALL : List.of(topic)).stream().map(Topics::deadLetter).toList();
        }
    }

    @Command(name = "list", description = "Every record on the dead-letter topics: where it was, its key, event, and why it failed.")
    static final class ListRecords implements Callable<Integer> {
        @Mixin
        PlatformCli.Location location = new PlatformCli.Location();
        @Mixin
        Selection selection = new Selection();

        @Override
        public Integer call() {
            List<ConsumerRecord<byte[], byte[]>> records = read(selection.broker(location), selection.deadLetterTopics());
            if (records.isEmpty()) {
                System.out.println("No dead letters.");
                return 0;
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                System.out.printf("%s:%d@%d  %s  key %s  event %s (%s)  from group %s%n    %s%n", record.topic(), record.partition(),
                        record.offset(), Instant.ofEpochMilli(record.timestamp()), text(record.key()), header(record, Headers.EVENT_TYPE),
                        header(record, Headers.EVENT_ID), header(record, DLT_HEADER_PREFIX + "original-consumer-group"),
                        header(record, DLT_HEADER_PREFIX + "exception-message"));
            }
            System.out.println(records.size() + " dead letter(s). Replay: ./platform dead-letters replay --record TOPIC:PARTITION@OFFSET"
                    + " (or --all) once the cause is fixed.");
            return 0;
        }
    }

    @Command(name = "replay", description = "Put dead letters back on their original topic (with their event id, key and headers).")
    static final class Replay implements Callable<Integer> {
        @Mixin
        PlatformCli.Location location = new PlatformCli.Location();
        @Mixin
        Selection selection = new Selection();
        @Option(names = "--record", paramLabel = "TOPIC:PARTITION@OFFSET", description = "One dead letter, as list shows it; repeatable.")
        List<String> records = new ArrayList<>();
        @Option(names = "--all", description = "Every dead letter of the selected topics.")
        boolean all;

        @Override
        public Integer call() throws Exception {
            if (all == !records.isEmpty()) {
                throw new CliException("Name the dead letters to replay: --record TOPIC:PARTITION@OFFSET (repeatable) or --all.");
            }
            Set<String> wanted = Set.copyOf(records);
            for (String record : wanted) {
                if (!record.matches("[A-Za-z0-9._-]+\\.DLT:\\d+@\\d+")) {
                    throw new CliException("--record " + record + ": write it as list shows it, e.g. order.events.DLT:0@12");
                }
            }
            String broker = selection.broker(location);
            List<ConsumerRecord<byte[], byte[]>> chosen = read(broker, selection.deadLetterTopics()).stream()
                    .filter(r -> all || wanted.contains(r.topic() + ":" + r.partition() + "@" + r.offset())).toList();
            if (!all && chosen.size() != wanted.size()) {
                throw new CliException("Not every --record is a dead letter on the broker: found " + chosen.size() + " of " + wanted.size()
                        + " (./platform dead-letters list shows them).");
            }
            try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
                for (ConsumerRecord<byte[], byte[]> record : chosen) {
                    String original = originalTopic(record);
                    ProducerRecord<byte[], byte[]> replay = new ProducerRecord<>(original, record.key(), record.value());
                    for (Header header : record.headers()) {
                        if (!header.key().startsWith(DLT_HEADER_PREFIX)) {
                            replay.headers().add(header);
                        }
                    }
                    String from = record.topic() + ":" + record.partition() + "@" + record.offset();
                    replay.headers().add(REPLAYED_FROM, from.getBytes(StandardCharsets.UTF_8));
                    producer.send(replay).get(30, TimeUnit.SECONDS);
                    System.out.println("replayed " + from + " to " + original + " (event " + header(record, Headers.EVENT_ID) + ")");
                }
            }
            System.out.println(chosen.size() + " dead letter(s) replayed.");
            return 0;
        }
    }

    static String originalTopic(ConsumerRecord<byte[], byte[]> record) {
        String fromHeader = header(record, DLT_HEADER_PREFIX + "original-topic");
        return fromHeader != null ? fromHeader : record.topic().substring(0, record.topic().length() - ".DLT".length());
    }

    /** Every record now on the given dead-letter topics (those that exist). */
    static List<ConsumerRecord<byte[], byte[]>> read(String broker, List<String> deadLetterTopics) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.listTopics(Duration.ofSeconds(30)).forEach((topic, infos) -> {
                if (deadLetterTopics.contains(topic)) {
                    infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
                }
            });
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        records.sort(java.util.Comparator.comparing((ConsumerRecord<byte[], byte[]> r) -> r.topic())
                .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
        return records;
    }

    private static KafkaProducer<byte[], byte[]> producer(String broker) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "-" : new String(bytes, StandardCharsets.UTF_8);
    }
}
