package dev.sagaplatform.messaging.consumer;

import dev.sagaplatform.contracts.Message;

/**
 * Applies one message. Runs inside a transaction that also records the message as processed, so a
 * handler writes its state and its outbox rows and never deduplicates by itself. Throwing rolls
 * everything back and the delivery is retried with backoff, then dead-lettered.
 */
@FunctionalInterface
public interface MessageHandler<T extends Message> {

    void handle(IncomingMessage<T> message);
}
