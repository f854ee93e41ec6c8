package dev.sagaplatform.messaging.consumer;

import dev.sagaplatform.contracts.Message;
import dev.sagaplatform.contracts.MessageCatalog;
import dev.sagaplatform.contracts.MessageType;
import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.messaging.inbox.Inbox;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one consumer (one Kafka consumer group, one inbox name) handles, declared as a bean:
 * <pre>
 * MessageSubscription.consumer("payment-service")
 *         .on(OrderCreated.class, payments::authorize)
 *         .on(StockRejected.class, payments::refund)
 *         .build();
 * </pre>
 * Topics follow from the message types, so a service never spells a topic name. Other message types
 * on those topics are skipped: a topic is shared by every consumer of its producer.
 */
public final class MessageSubscription {

    private final String consumer;
    private final Map<String, Registration<?>> handlersByType;
    private final Set<String> topics;

    private MessageSubscription(String consumer, Map<String, Registration<?>> handlersByType) {
        this.consumer = consumer;
        this.handlersByType = Map.copyOf(handlersByType);
        Set<String> topicSet = new LinkedHashSet<>();
        handlersByType.values().forEach(r -> topicSet.add(Topics.topicFor(r.type().aggregateType())));
        this.topics = Set.copyOf(topicSet);
    }

    public static Builder consumer(String consumer) {
        return new Builder(consumer);
    }

    /** Kafka group id and inbox consumer name. */
    public String consumer() {
        return consumer;
    }

    public Set<String> topics() {
        return topics;
    }

    /** The type this consumer handles under that catalog name, or null if it skips messages of that name. */
    public MessageType<?> handledType(String typeName) {
        Registration<?> registration = handlersByType.get(typeName);
        return registration == null ? null : registration.type();
    }

    /**
     * Applies the message at most once for this consumer: records its id in the inbox, then runs the handler,
     * both in the caller's transaction. This is the one idempotent-consumer rule of the platform, run by the
     * Kafka listener and by the deterministic simulator alike.
     *
     * @return {@code false} for a duplicate (the inbox knew its id): nothing was applied
     * @throws IllegalArgumentException if this consumer does not handle the message's type
     */
    public boolean applyOnce(IncomingMessage<?> message, Inbox inbox) {
        Registration<?> registration = handlersByType.get(message.type().name());
        if (registration == null) {
            throw new IllegalArgumentException(consumer + " does not handle " + message.type().name());
        }
        if (!inbox.markProcessed(consumer, message.messageId(), message.type().name())) {
            return false;
        }
        registration.dispatch(message);
        return true;
    }

    record Registration<T extends Message>(MessageType<T> type, MessageHandler<T> handler) {

        @SuppressWarnings("unchecked")
        void dispatch(IncomingMessage<?> message) {
            handler.handle((IncomingMessage<T>) message);
        }
    }

    public static final class Builder {

        private final String consumer;
        private final Map<String, Registration<?>> handlers = new LinkedHashMap<>();

        private Builder(String consumer) {
            if (consumer == null || consumer.isBlank() || consumer.length() > 200) {
                throw new IllegalArgumentException("consumer name must be 1-200 characters, got: " + consumer);
            }
            this.consumer = consumer;
        }

        public <T extends Message> Builder on(Class<T> type, MessageHandler<T> handler) {
            MessageType<T> messageType = MessageCatalog.of(type);
            Objects.requireNonNull(handler, "handler");
            if (handlers.putIfAbsent(messageType.name(), new Registration<>(messageType, handler)) != null) {
                throw new IllegalArgumentException(consumer + " subscribes to " + messageType.name() + " twice");
            }
            return this;
        }

        public MessageSubscription build() {
            if (handlers.isEmpty()) {
                throw new IllegalStateException(consumer + " subscribes to no message type");
            }
            return new MessageSubscription(consumer, handlers);
        }
    }
}
