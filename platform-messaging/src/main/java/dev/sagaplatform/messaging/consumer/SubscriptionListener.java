package dev.sagaplatform.messaging.consumer;

import dev.sagaplatform.contracts.Headers;
import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageCatalog;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.messaging.codec.MessageCodec;
import dev.sagaplatform.messaging.codec.UnreadableMessageException;
import dev.sagaplatform.messaging.inbox.Inbox;
import dev.sagaplatform.messaging.trace.Causation;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns one Kafka record into at most one application of its handler: decode, then, in one
 * transaction, record the message id in the inbox and run the handler. Unreadable records throw
 * {@link UnreadableMessageException}, which the error handler sends straight to the dead-letter topic.
 *
 * <p>A transient database error (serialization failure, deadlock, lost connection; see
 * {@link TransientDatabaseFailure}) re-runs the whole transaction in place under the {@code database}
 * retry, a few times with short jittered backoff, before the record goes back to Kafka for redelivery.
 * Re-running is safe because the failed transaction rolled back, inbox row included, and handlers call
 * remote systems only idempotently. Cheaper than a redelivery: no seek, no re-poll, no re-decode.
 */
class SubscriptionListener implements MessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionListener.class);

    private final MessageSubscription subscription;
    private final MessageCodec codec;
    private final Inbox inbox;
    private final TransactionTemplate transactions;
    private final Retry databaseRetry;
    private final MeterRegistry meters;

    SubscriptionListener(MessageSubscription subscription, MessageCodec codec, Inbox inbox,
                         TransactionTemplate transactions, Retry databaseRetry, MeterRegistry meters) {
        this.subscription = subscription;
        this.codec = codec;
        this.inbox = inbox;
        this.transactions = transactions;
        this.databaseRetry = databaseRetry;
        this.meters = meters;
    }

    @Override
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        String typeName = header(record, Headers.EVENT_TYPE);
        if (typeName == null) {
            throw new UnreadableMessageException("record has no " + Headers.EVENT_TYPE + " header", null);
        }
        MessageType<?> type = subscription.handledType(typeName);
        if (type == null) {
            count(typeName, "skipped");
            return;
        }
        UUID messageId = messageId(record);
        String payload = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
        Message message = codec.fromJson(typeName, payload);
        String traceparent = header(record, Headers.TRACEPARENT);
        IncomingMessage<?> incoming = incoming(type, messageId, message, traceparent, record);

        // The container's observation has already made the span continuing the record's traceparent current (and put
        // traceId and spanId in the MDC); the order id joins them on every log line of this saga step.
        try (var orderId = MDC.putCloseable("orderId", message.orderId().toString())) {
            // Bound inside the transaction, so the cause is set exactly while its inbox row and effects are written.
            Boolean applied = databaseRetry.executeSupplier(() -> transactions.execute(status -> Causation.runWith(messageId,
                    () -> subscription.applyOnce(incoming, inbox))));
            if (Boolean.TRUE.equals(applied)) {
                count(typeName, "applied");
            } else {
                count(typeName, "duplicate");
                log.info("{} ignored duplicate {} {} for order {}",
                        subscription.consumer(), typeName, messageId, message.orderId());
            }
        }
    }

    private static <T extends Message> IncomingMessage<T> incoming(MessageType<T> type, UUID id, Message message,
                                                                  String traceparent, ConsumerRecord<?, ?> record) {
        return new IncomingMessage<>(id, type, type.javaType().cast(message), traceparent,
                record.topic(), record.partition(), record.offset());
    }

    private static UUID messageId(ConsumerRecord<String, byte[]> record) {
        String value = header(record, Headers.EVENT_ID);
        if (value == null) {
            throw new UnreadableMessageException("record has no " + Headers.EVENT_ID + " header", null);
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new UnreadableMessageException(Headers.EVENT_ID + " header is not a UUID: " + value, e);
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void count(String typeName, String outcome) {
        // Only catalogued names become tag values, so a flood of junk types cannot explode the tag space.
        String type = MessageCatalog.all().stream().map(MessageType::name).anyMatch(typeName::equals) ? typeName : "unknown";
        meters.counter("messaging.consumer.messages",
                "consumer", subscription.consumer(), "type", type, "outcome", outcome).increment();
    }
}
