package dev.sagaplatform.contracts;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

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

    /**
     * Partitions of every saga topic and dead-letter topic, wherever topics are created (the services' Kafka admin,
     * {@code ./platform up}, compose's broker default, {@code k8s/base/kafka/topics.yaml}): the most instances of one
     * consumer group that share a topic's work (an instance beyond it gets no partition and idles), so
     * {@code ./platform up --replicas} is capped at it; and the unit of ordering, which is per key (order id) only.
     *
     * <p>6: divisible by 1, 2, 3 and 6, so that many instances split a topic evenly; as many as the production
     * overlay's broker default; few enough that 14 topics × 6 partitions cost a 2-core machine little (each partition
     * is one more fetch position per consumer group). Partitions can be added later (the services' Kafka admin and
     * {@code ./platform up} grow an existing topic), never removed, and adding them moves keys to other partitions:
     * raise it between sagas, not under load. See docs/scaling.md.
     */
    public static final int PARTITIONS = 6;

    /** How long the saga's topics keep their records. */
    public static final Duration RETENTION = Duration.ofDays(7);

    /** Dead letters are kept longer: an operator lists and replays them ({@code /admin/dead-letters}) after a bug fix. */
    public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(28);

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

    /** {@link #ALL} and the dead-letter topic of each, which consumers write to when they give up on a record. */
    public static List<String> withDeadLetters() {
        return ALL.stream().flatMap(topic -> Stream.of(topic, deadLetter(topic))).toList();
    }

    /** {@link #DEAD_LETTER_RETENTION} for a dead-letter topic, {@link #RETENTION} for any other. */
    public static Duration retention(String topic) {
        return topic.endsWith(DEAD_LETTER_SUFFIX) ? DEAD_LETTER_RETENTION : RETENTION;
    }

    /** Matches spring-kafka's {@code DeadLetterPublishingRecoverer} default naming. */
    public static String deadLetter(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        return topic + DEAD_LETTER_SUFFIX;
    }
}
