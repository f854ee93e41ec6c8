package dev.sagaplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.testsupport.RealInfrastructure;
import dev.sagaplatform.testsupport.TestInfrastructure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A dead letter as Spring Kafka writes it, listed, then replayed to its topic with its event id and without the DLT headers. */
@Tag(RealInfrastructure.TAG)
class DeadLettersCommandTest {

    private final String broker = TestInfrastructure.get().kafkaBootstrapServers();

    @Test
    void listsADeadLetterAndReplaysItToItsTopicWithItsEventId() throws Exception {
        String eventId = UUID.randomUUID().toString();
        String key = UUID.randomUUID().toString();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker),
                new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> dead = new ProducerRecord<>(Topics.deadLetter(Topics.ORDER_EVENTS), key, "{\"orderId\":\"" + key + "\"}");
            dead.headers().add(Headers.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
            dead.headers().add(Headers.EVENT_TYPE, "OrderCreated".getBytes(StandardCharsets.UTF_8));
            dead.headers().add("kafka_dlt-original-topic", Topics.ORDER_EVENTS.getBytes(StandardCharsets.UTF_8));
            dead.headers().add("kafka_dlt-original-consumer-group", "payment-service".getBytes(StandardCharsets.UTF_8));
            dead.headers().add("kafka_dlt-exception-message", "refund refused by the gateway".getBytes(StandardCharsets.UTF_8));
            producer.send(dead).get(30, TimeUnit.SECONDS);
        }

        String list = run("dead-letters", "list", "--topic", Topics.ORDER_EVENTS, "--bootstrap-servers", broker);
        String line = list.lines().filter(l -> l.contains("key " + key)).findFirst().orElseThrow(() -> new AssertionError(list));
        assertThat(line).contains("event OrderCreated (" + eventId + ")").contains("from group payment-service");
        assertThat(list).contains("refund refused by the gateway");
        Matcher where = Pattern.compile("^(\\S+:\\d+@\\d+)").matcher(line);
        assertThat(where.find()).isTrue();

        String replay = run("dead-letters", "replay", "--record", where.group(1), "--bootstrap-servers", broker);
        assertThat(replay).contains("replayed " + where.group(1) + " to order.events (event " + eventId + ")");

        ConsumerRecord<byte[], byte[]> replayed = findOnTopic(Topics.ORDER_EVENTS, eventId);
        assertThat(new String(replayed.key(), StandardCharsets.UTF_8)).isEqualTo(key);
        assertThat(replayed.headers().lastHeader("kafka_dlt-exception-message")).isNull();
        assertThat(new String(replayed.headers().lastHeader("replayed-from").value(), StandardCharsets.UTF_8)).isEqualTo(where.group(1));

        assertThat(run("dead-letters", "replay", "--bootstrap-servers", broker)).contains("--record TOPIC:PARTITION@OFFSET (repeatable) or --all");
        assertThat(run("dead-letters", "replay", "--record", "order.events.DLT:0@999999999", "--bootstrap-servers", broker))
                .contains("Not every --record is a dead letter on the broker");
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            PlatformCli.execute(Map.of(), System.out, System.out, args);
        }
        finally {
            System.setOut(previous);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(config);
    }

    private ConsumerRecord<byte[], byte[]> findOnTopic(String topic, String eventId) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    var header = record.headers().lastHeader(Headers.EVENT_ID);
                    if (header != null && eventId.equals(new String(header.value(), StandardCharsets.UTF_8))) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("event " + eventId + " not found on " + topic);
    }
}
