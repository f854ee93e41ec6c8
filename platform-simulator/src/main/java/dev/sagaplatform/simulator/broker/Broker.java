package dev.sagaplatform.simulator.broker;

import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;

/**
 * The simulated Kafka: topics of {@link Topics#PARTITIONS} partitions, records keyed by order id and placed by
 * Kafka's own default partitioner (murmur2 of the key), so one order's messages share a partition and keep their
 * order, while different orders' messages interleave freely. Consumer groups keep a committed offset per partition.
 */
public final class Broker {

    /** One record as the relay publishes it: the payload stays a decoded object (the codec is not under test here). */
    public record Record(String topic, int partition, long offset, UUID messageId, MessageType<?> type, Message message) {
    }

    private final Map<String, List<List<Record>>> topics = new LinkedHashMap<>();
    private final List<Runnable> listeners = new ArrayList<>();
    private long published;

    public Broker() {
        for (String topic : Topics.ALL) {
            List<List<Record>> partitions = new ArrayList<>();
            for (int p = 0; p < Topics.PARTITIONS; p++) {
                partitions.add(new ArrayList<>());
            }
            topics.put(topic, partitions);
        }
    }

    /** Kafka's default partitioner for a keyed record. */
    public static int partitionOf(UUID orderId) {
        byte[] key = orderId.toString().getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % Topics.PARTITIONS;
    }

    public Record publish(UUID messageId, MessageType<?> type, Message message) {
        List<Record> partition = partition(type.topic(), partitionOf(message.orderId()));
        Record record = new Record(type.topic(), partitionOf(message.orderId()), partition.size(), messageId, type, message);
        partition.add(record);
        published++;
        listeners.forEach(Runnable::run);
        return record;
    }

    public void onPublish(Runnable listener) {
        listeners.add(listener);
    }

    List<Record> partition(String topic, int partition) {
        List<List<Record>> partitions = topics.get(topic);
        if (partitions == null) {
            throw new IllegalArgumentException("no topic " + topic);
        }
        return partitions.get(partition);
    }

    public long published() {
        return published;
    }

    /** Every record on every topic, in topic and partition order: for the no-lost-message check. */
    public List<Record> all() {
        List<Record> all = new ArrayList<>();
        topics.values().forEach(partitions -> partitions.forEach(all::addAll));
        return all;
    }
}
