package dev.sagaplatform.testsupport;

import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageCatalog;
import dev.sagaplatform.contracts.MessageType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes messages the way the outbox relay does, for tests of a consumer without a relay: to the topic of the
 * message's type, keyed by its order id, with the {@code event-id} and {@code event-type} headers, the payload as the
 * service's codec writes it (passed in, since this module does not depend on the messaging library). Each call
 * waits until the broker acknowledged the record (acks=all, idempotent producer).
 * <pre>
 * publisher = RelayLikePublisher.onTestBroker(new MessageCodec()::toJson);
 * publisher.publish(orderCreated, eventId);
 * </pre>
 */
public final class RelayLikePublisher implements AutoCloseable {

    private static final long ACK_TIMEOUT_SECONDS = 30;

    private final KafkaProducer<String, byte[]> producer;
    private final Function<? super Message, String> encoder;

    public RelayLikePublisher(String bootstrapServers, Function<? super Message, String> encoder) {
        this.encoder = encoder;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /** A publisher to this JVM's test broker ({@link TestInfrastructure}). */
    public static RelayLikePublisher onTestBroker(Function<? super Message, String> encoder) {
        return new RelayLikePublisher(TestInfrastructure.get().kafkaBootstrapServers(), encoder);
    }

    /** Publishes {@code message} under a new event id and returns that id. */
    public UUID publish(Message message) {
        UUID eventId = UUID.randomUUID();
        publish(message, eventId);
        return eventId;
    }

    /** Publishes {@code message} under {@code eventId}: twice with one id is a redelivery. */
    public RecordMetadata publish(Message message, UUID eventId) {
        return publish(message, eventId, message.orderId().toString());
    }

    /** With another key than the message's order id, e.g. another order's, to land on that order's partition behind it. */
    public RecordMetadata publish(Message message, UUID eventId, String key) {
        MessageType<?> type = MessageCatalog.of(message.getClass());
        return publishRaw(type.topic(), key, eventId, type.name(), encoder.apply(message));
    }

    /** A record with any payload and type header, e.g. one that does not decode; {@code eventId} null leaves the header out. */
    public RecordMetadata publishRaw(String topic, String key, UUID eventId, String eventType, String payload) {
        var record = new ProducerRecord<>(topic, key, payload == null ? null : payload.getBytes(StandardCharsets.UTF_8));
        if (eventId != null) {
            record.headers().add(Headers.EVENT_ID, eventId.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (eventType != null) {
            record.headers().add(Headers.EVENT_TYPE, eventType.getBytes(StandardCharsets.UTF_8));
        }
        try {
            return producer.send(record).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing " + eventType, ex);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("Could not publish " + eventType + " to " + topic, ex);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
