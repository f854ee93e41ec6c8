package dev.sagaplatform.console.timeline.messaging;

import dev.sagaplatform.console.timeline.domain.MessageFacts;
import dev.sagaplatform.console.timeline.domain.Observation;
import dev.sagaplatform.console.timeline.persistence.TimelineStore;
import dev.sagaplatform.contracts.Headers;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads every saga topic and every dead-letter topic ({@code Topics.withDeadLetters()}) under the console's own consumer
 * group, and records each record on the timeline. Any payload is accepted, a malformed one included: it is what an
 * operator most needs to see.
 */
@Component
class TimelineListener {

    private static final Logger log = LoggerFactory.getLogger(TimelineListener.class);
    /** Headers Spring Kafka's DeadLetterPublishingRecoverer adds, as platform-messaging's consumers write them. */
    private static final String DLT = "kafka_dlt-";
    private static final String LISTENER_FAILED = "Listener failed; ";

    private final TimelineStore store;
    private final JsonMapper json;

    TimelineListener(TimelineStore store, JsonMapper json) {
        this.store = store;
        this.json = json;
    }

    @KafkaListener(id = "saga-console-timeline", groupId = "${console.consumer-group:saga-console}",
            topics = "#{T(dev.sagaplatform.contracts.Topics).withDeadLetters()}")
    void on(ConsumerRecord<String, String> record) {
        store.record(observe(record));
    }

    Observation observe(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : printable(header));
        }
        MessageFacts facts = facts(record.value());
        UUID orderId = facts.orderId() != null ? facts.orderId() : Observation.uuidOrNull(record.key());
        Observation.DeadLetterDetails deadLetter = Observation.isDeadLetterTopic(record.topic())
                ? new Observation.DeadLetterDetails(originalTopic(record.topic(), headers), headers.get(DLT + "original-consumer-group"),
                error(headers))
                : null;
        return new Observation(record.topic(), record.partition(), record.offset(), record.key(), orderId, headers.get(Headers.EVENT_ID),
                headers.get(Headers.EVENT_TYPE), headers.get(Headers.CAUSATION_ID), Observation.traceId(headers.get(Headers.TRACEPARENT)),
                Instant.ofEpochMilli(record.timestamp()), headers, storable(record.value()), facts, deadLetter);
    }

    /** PostgreSQL's text cannot hold NUL, which a poison payload may carry: it is shown escaped instead of refused. */
    private static String storable(String payload) {
        return payload == null ? null : payload.replace("\u0000", "\\u0000");
    }

    /** Dead-letter headers carry binary values (offsets, timestamps as longs): those are shown as their bytes' hex. */
    private static String printable(Header header) {
        String text = new String(header.value(), StandardCharsets.UTF_8);
        boolean readable = text.chars().allMatch(c -> c >= 0x20 && c != 0xfffd || c == '\n' || c == '\t');
        if (readable) {
            return text;
        }
        StringBuilder hex = new StringBuilder("0x");
        for (byte b : header.value()) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    private static String originalTopic(String topic, Map<String, String> headers) {
        String fromHeader = headers.get(DLT + "original-topic");
        return fromHeader != null ? fromHeader : topic.substring(0, topic.length() - ".DLT".length());
    }

    /** The root cause's class and message, as platform-messaging's dead-letter API shows them. */
    static String error(Map<String, String> headers) {
        String message = headers.get(DLT + "exception-message");
        if (message != null && message.startsWith(LISTENER_FAILED)) {
            message = message.substring(LISTENER_FAILED.length());
        }
        String type = headers.getOrDefault(DLT + "exception-cause-fqcn", headers.get(DLT + "exception-fqcn"));
        if (type == null) {
            return message;
        }
        String simpleName = type.substring(type.lastIndexOf('.') + 1);
        return message == null ? simpleName : simpleName + ": " + message;
    }

    private MessageFacts facts(String payload) {
        if (payload == null || payload.isBlank()) {
            return MessageFacts.NONE;
        }
        JsonNode node;
        try {
            node = json.readTree(payload);
        } catch (JacksonException e) {
            log.debug("payload is not JSON: {}", e.getOriginalMessage());
            return MessageFacts.NONE;
        }
        if (!node.isObject()) {
            return MessageFacts.NONE;
        }
        return new MessageFacts(Observation.uuidOrNull(text(node, "orderId")), text(node, "customerId"), text(node, "flow"),
                decimal(node, "total"), instant(node, "createdAt"), text(node, "reason"), text(node, "reasonDetail"),
                Observation.uuidOrNull(text(node, "sagaId")), text(node, "outcome"), text(node, "commandType"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainer() ? null : value.asString();
    }

    private static BigDecimal decimal(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.decimalValue() : null;
    }

    private static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
