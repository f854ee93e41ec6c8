package dev.sagaplatform.messaging.consumer;

import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageType;
import java.util.UUID;

/** A decoded message with the delivery facts a handler may want to log or record. */
public record IncomingMessage<T extends Message>(
        UUID messageId, MessageType<T> type, T payload, String traceparent, String topic, int partition, long offset) {
}
