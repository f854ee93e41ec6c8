package dev.sagaplatform.contracts;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Kafka topic names, and how the relay maps an outbox aggregate type to a topic. */
public final class Topics {

    public static final String ORDER_EVENTS = "order.events";
    public static final String PAYMENT_EVENTS = "payment.events";
    public static final String INVENTORY_EVENTS = "inventory.events";
    public static final String PAYMENT_COMMANDS = "payment.commands";
    public static final String INVENTORY_COMMANDS = "inventory.commands";
    public static final String ORDER_COMMANDS = "order.commands";
    public static final String SAGA_REPLIES = "saga.replies";

    /** Every topic a message of the catalog can land on, e.g. to create them up front. */
    public static final List<String> ALL = List.of(
            ORDER_EVENTS, PAYMENT_EVENTS, INVENTORY_EVENTS,
            PAYMENT_COMMANDS, INVENTORY_COMMANDS, ORDER_COMMANDS,
            SAGA_REPLIES);

    /** Outbox {@code aggregatetype} to topic. */
    public static final Map<String, String> DEFAULT_ROUTES = Map.of(
            AggregateTypes.ORDER, ORDER_EVENTS,
            AggregateTypes.PAYMENT, PAYMENT_EVENTS,
            AggregateTypes.INVENTORY, INVENTORY_EVENTS,
            AggregateTypes.PAYMENT_COMMANDS, PAYMENT_COMMANDS,
            AggregateTypes.INVENTORY_COMMANDS, INVENTORY_COMMANDS,
            AggregateTypes.ORDER_COMMANDS, ORDER_COMMANDS,
            AggregateTypes.SAGA_REPLIES, SAGA_REPLIES);

    private static final String DEAD_LETTER_SUFFIX = ".DLT";
    private static final String FALLBACK_SUFFIX = ".events";

    private Topics() {
    }

    /**
     * The relay's routing. The fallback keeps an aggregate type that nobody added to the map
     * flowing to a predictable topic instead of being dropped.
     */
    public static String topicFor(String aggregateType) {
        Objects.requireNonNull(aggregateType, "aggregateType must not be null");
        String routed = DEFAULT_ROUTES.get(aggregateType);
        return routed != null ? routed : aggregateType + FALLBACK_SUFFIX;
    }

    /** Matches spring-kafka's {@code DeadLetterPublishingRecoverer} default naming. */
    public static String deadLetter(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        return topic + DEAD_LETTER_SUFFIX;
    }
}
