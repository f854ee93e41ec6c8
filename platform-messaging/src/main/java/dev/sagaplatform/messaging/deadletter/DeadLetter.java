package dev.sagaplatform.messaging.deadletter;

import dev.sagaplatform.contracts.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One record on a dead-letter topic ({@code <topic>.DLT}), read from the headers Spring Kafka's
 * {@code DeadLetterPublishingRecoverer} adds to it ({@value #DLT_HEADER_PREFIX}{@code *}).
 *
 * @param key           the record's key (the order id), {@code null} if it had none
 * @param eventType     {@code null} for a record without the header (an unreadable one)
 * @param eventId       the id every consumer's inbox knows it by; {@code null} for a record without the header
 * @param originalTopic where it came from, and where a replay puts it back
 * @param consumerGroup the consumer group that gave up on it; {@code null} when the record does not say
 * @param error         why: the exception's class and message as the recoverer recorded them; {@code null} if it did not
 */
public record DeadLetter(String topic, int partition, long offset, Instant timestamp, String key, String eventType,
                         String eventId, String originalTopic, String consumerGroup, String error) {

    /** Headers Spring Kafka's dead-letter recoverer adds; a replayed record leaves them behind. */
    public static final String DLT_HEADER_PREFIX = "kafka_dlt-";
    static final String ORIGINAL_TOPIC = DLT_HEADER_PREFIX + "original-topic";
    static final String ORIGINAL_CONSUMER_GROUP = DLT_HEADER_PREFIX + "original-consumer-group";
    static final String EXCEPTION_CLASS = DLT_HEADER_PREFIX + "exception-fqcn";
    static final String EXCEPTION_CAUSE_CLASS = DLT_HEADER_PREFIX + "exception-cause-fqcn";
    static final String EXCEPTION_MESSAGE = DLT_HEADER_PREFIX + "exception-message";

    private static final String DEAD_LETTER_SUFFIX = ".DLT";
    private static final String LISTENER_FAILED = "Listener failed; ";

    /** How a dead letter is named on the command line and in the admin API: {@code TOPIC:PARTITION@OFFSET}. */
    private static final Pattern COORDINATES = Pattern.compile("[A-Za-z0-9._-]+\\.DLT:\\d{1,10}@\\d{1,19}");

    /** {@code TOPIC:PARTITION@OFFSET} of the record on its dead-letter topic, e.g. {@code order.events.DLT:0@12}. */
    public String coordinates() {
        return topic + ":" + partition + "@" + offset;
    }

    /** Whether {@code text} is written as {@link #coordinates()} writes it. */
    public static boolean isCoordinates(String text) {
        return text != null && COORDINATES.matcher(text).matches();
    }

    static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
        return new DeadLetter(record.topic(), record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
                text(record.key()), header(record.headers(), Headers.EVENT_TYPE), header(record.headers(), Headers.EVENT_ID),
                originalTopic(record), header(record.headers(), ORIGINAL_CONSUMER_GROUP), error(record.headers()));
    }

    /** The header, else the topic's name without {@code .DLT}. */
    static String originalTopic(ConsumerRecord<byte[], byte[]> record) {
        String fromHeader = header(record.headers(), ORIGINAL_TOPIC);
        if (fromHeader != null) {
            return fromHeader;
        }
        String topic = record.topic();
        return topic.endsWith(DEAD_LETTER_SUFFIX) ? topic.substring(0, topic.length() - DEAD_LETTER_SUFFIX.length()) : topic;
    }

    /**
     * {@code IllegalStateException: <message>}: the class of the root cause and its message, as the recoverer recorded
     * them; just the message for a record without the class.
     */
    public static String error(org.apache.kafka.common.header.Headers headers) {
        String message = header(headers, EXCEPTION_MESSAGE);
        // Spring Kafka wraps what a listener throws; the recoverer then writes the wrapper's message before the cause's.
        if (message != null && message.startsWith(LISTENER_FAILED)) {
            message = message.substring(LISTENER_FAILED.length());
        }
        String type = header(headers, EXCEPTION_CAUSE_CLASS);
        if (type == null) {
            type = header(headers, EXCEPTION_CLASS);
        }
        if (type == null) {
            return message;
        }
        String simpleName = type.substring(type.lastIndexOf('.') + 1);
        return message == null ? simpleName : simpleName + ": " + message;
    }

    static String header(org.apache.kafka.common.header.Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
