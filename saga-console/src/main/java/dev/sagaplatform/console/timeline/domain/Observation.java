package dev.sagaplatform.console.timeline.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One record seen on a saga topic or a dead-letter topic, with what the timeline derives from it.
 *
 * @param orderId      from the payload, else the record key (the relay keys every record by order id)
 * @param traceId      the trace id of the {@code traceparent} header, null without one
 * @param deadLetter   the dead-letter details, null for a record on a saga topic
 */
public record Observation(String topic, int partition, long offset, String key, UUID orderId, String eventId, String eventType,
                          String causationId, String traceId, Instant time, Map<String, String> headers, String payload,
                          MessageFacts facts, DeadLetterDetails deadLetter) {

    private static final String DEAD_LETTER_SUFFIX = ".DLT";
    private static final Set<String> COMPENSATIONS = Set.of("RefundPayment", "ReleaseStock", "RejectOrder", "PaymentRefunded",
            "OrderTimedOut");
    private static final Set<String> FAILURES = Set.of("PaymentDeclined", "StockRejected", "OrderRejected");
    private static final Set<String> SUCCESSES = Set.of("StockReserved", "OrderApproved");

    public Observation {
        headers = Map.copyOf(headers);
        facts = facts == null ? MessageFacts.NONE : facts;
    }

    /**
     * {@code TOPIC:PARTITION@OFFSET}, how platform-messaging's {@code /admin/dead-letters} names a record
     * (e.g. {@code order.events.DLT:0@12}).
     */
    public String coordinates() {
        return topic + ":" + partition + "@" + offset;
    }

    public static boolean isDeadLetterTopic(String topic) {
        return topic.endsWith(DEAD_LETTER_SUFFIX);
    }

    /** The trace id of a W3C {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}), null if malformed. */
    public static String traceId(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.trim().split("-");
        return parts.length == 4 && parts[1].matches("[0-9a-f]{32}") && !parts[1].matches("0{32}") ? parts[1] : null;
    }

    /** @param replayOfDeadLetter whether a dead letter with this event id was seen before on this topic's dead-letter topic */
    public Outcome outcome(boolean replayOfDeadLetter) {
        if (deadLetter != null) {
            return Outcome.DEAD_LETTERED;
        }
        if (replayOfDeadLetter) {
            return Outcome.REPLAYED;
        }
        if (eventType == null) {
            return Outcome.SENT;
        }
        if (COMPENSATIONS.contains(eventType)) {
            return Outcome.COMPENSATION;
        }
        if (FAILURES.contains(eventType) || "FAILURE".equals(facts.replyOutcome())) {
            return Outcome.FAILED;
        }
        if (SUCCESSES.contains(eventType) || "SUCCESS".equals(facts.replyOutcome())) {
            return Outcome.SUCCEEDED;
        }
        return Outcome.SENT;
    }

    /** Which service wrote the message: by topic, and for a reply by the command it answers. */
    public String sender() {
        String original = deadLetter != null ? deadLetter.originalTopic() : topic;
        if (original == null) {
            return null;
        }
        return switch (original) {
            case "order.events" -> "order-service";
            case "payment.events" -> "payment-service";
            case "inventory.events" -> "inventory-service";
            case "payment.commands", "inventory.commands", "order.commands" -> "saga-orchestrator";
            case "saga.replies" -> replier(facts.commandType());
            default -> null;
        };
    }

    private static String replier(String commandType) {
        if (commandType == null) {
            return null;
        }
        return switch (commandType) {
            case "AuthorizePayment", "RefundPayment" -> "payment-service";
            case "ReserveStock", "ReleaseStock" -> "inventory-service";
            case "ApproveOrder", "RejectOrder" -> "order-service";
            default -> null;
        };
    }

    /** The order's state after this message, if it decides one: an order only leaves PENDING for a terminal state. */
    public OrderState orderState() {
        if (eventType == null || deadLetter != null) {
            return null;
        }
        return switch (eventType) {
            case "OrderCreated" -> OrderState.PENDING;
            case "OrderApproved" -> OrderState.APPROVED;
            case "OrderRejected" -> OrderState.REJECTED;
            default -> null;
        };
    }

    /** The record came from the dead-letter topic of {@code originalTopic}. */
    public record DeadLetterDetails(String originalTopic, String consumerGroup, String error) {
    }

    public static UUID uuidOrNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
