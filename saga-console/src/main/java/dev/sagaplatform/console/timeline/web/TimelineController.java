package dev.sagaplatform.console.timeline.web;

import dev.sagaplatform.console.ConsoleProperties;
import dev.sagaplatform.console.timeline.domain.OrderState;
import dev.sagaplatform.console.timeline.persistence.TimelineStore;
import dev.sagaplatform.console.timeline.persistence.TimelineStore.MessageRow;
import dev.sagaplatform.console.timeline.persistence.TimelineStore.OrderFilter;
import dev.sagaplatform.console.timeline.persistence.TimelineStore.OrderRow;
import dev.sagaplatform.console.web.ConsoleProblems;
import dev.sagaplatform.contracts.SagaFlow;
import dev.sagaplatform.web.paging.Paging;
import dev.sagaplatform.web.problem.ProblemException;
import dev.sagaplatform.web.problem.ProblemTypes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.domain.Pageable;
import org.springframework.data.web.PagedModel;
import org.springframework.http.MediaType;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The timeline: orders of both flows as their messages tell them, each order's messages, and the dead letters. */
@RestController
@RequestMapping(path = "/api", produces = MediaType.APPLICATION_JSON_VALUE)
class TimelineController {

    private static final int DEAD_LETTER_LIMIT = 200;

    private final TimelineStore store;
    private final ConsoleProperties properties;
    private final Clock clock = Clock.systemUTC();

    TimelineController(TimelineStore store, ConsoleProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    /**
     * {@code state} PENDING|APPROVED|REJECTED, {@code flow} CHOREOGRAPHY|ORCHESTRATION, {@code customerId}, {@code minAge} and
     * {@code maxAge} (e.g. {@code 30s}, {@code 5m}: placed at least / at most that long ago), {@code stuck} true|false.
     */
    @GetMapping("/orders")
    PagedModel<OrderView> orders(@RequestParam(required = false) String state, @RequestParam(required = false) String flow,
                                 @RequestParam(required = false) String customerId, @RequestParam(required = false) Duration minAge,
                                 @RequestParam(required = false) Duration maxAge, @RequestParam(required = false) Boolean stuck,
                                 @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        Pageable pageable = Paging.pageable(page, size);
        OrderFilter filter = new OrderFilter(oneOf("state", state, OrderState.values()), oneOf("flow", flow, SagaFlow.values()),
                blankToNull(customerId), nonNegative("minAge", minAge), nonNegative("maxAge", maxAge), stuck);
        TimelineStore.Page result = store.orders(filter, properties.stuckAfter(), clock.instant(), (int) pageable.getOffset(),
                pageable.getPageSize());
        return Paging.of(result.rows().stream().map(this::view).toList(), pageable, result.total());
    }

    @GetMapping("/orders/{orderId}")
    @ApiResponse(responseCode = "200", description = "the order's timeline")
    @ApiResponse(responseCode = "404", description = "unknown-order: the console has seen no message of this order")
    TimelineView timeline(@PathVariable UUID orderId) {
        OrderRow order = store.order(orderId, properties.stuckAfter(), clock.instant())
                .orElseThrow(() -> ConsoleProblems.UNKNOWN_ORDER.exception("the console has seen no message of order " + orderId));
        return new TimelineView(view(order), store.timeline(orderId).stream().map(this::view).toList());
    }

    /** One message with its headers and payload, for inspection. */
    @GetMapping("/messages/{id}")
    @ApiResponse(responseCode = "200", description = "the message, headers and payload")
    @ApiResponse(responseCode = "404", description = "unknown-message")
    MessageView message(@PathVariable long id) {
        return store.message(id).map(this::view).orElseThrow(() -> ConsoleProblems.UNKNOWN_MESSAGE.exception("no message " + id));
    }

    /** Dead letters, newest first; {@code pending=true} leaves out the ones replayed since. */
    @GetMapping("/dead-letters")
    Map<String, Object> deadLetters(@RequestParam(defaultValue = "false") boolean pending) {
        return Map.of("deadLetters", store.deadLetters(pending, DEAD_LETTER_LIMIT).stream().map(this::view).toList());
    }

    /** What the page needs to know about the console. */
    @GetMapping("/config")
    Map<String, Object> config() {
        return Map.of("zipkinTraceUrl", properties.zipkinTraceUrl(), "readsOpen", properties.readsOpen(),
                "stuckAfterSeconds", properties.stuckAfter().toSeconds(), "services", properties.services().keySet().stream().sorted().toList(),
                "messagesSeen", store.messageCount());
    }

    record OrderView(UUID orderId, String customerId, String flow, String state, String reason, java.math.BigDecimal total, UUID sagaId,
                     Instant createdAt, Instant lastMessageAt, int messages, int compensations, int deadLetters, boolean stuck,
                     String traceId, String traceUrl) {
    }

    record TimelineView(OrderView order, List<MessageView> messages) {
    }

    /** @param attempt 1 for the first record of this type for the order on this topic, 2 for a re-send or redelivery, ... */
    /** @param answers the command a reply answers */
    record MessageView(long id, String record, String topic, String eventType, String answers, String eventId, String causationId,
                       String sender,
                       String outcome, Instant time, int attempt, String traceId, String traceUrl, UUID orderId, String key,
                       String originalTopic, String consumerGroup, String error, boolean replayed, Map<String, String> headers,
                       String payload) {
    }

    private OrderView view(OrderRow row) {
        return new OrderView(row.orderId(), row.customerId(), row.flow(), row.state(), row.reason(), row.total(), row.sagaId(),
                row.createdAt(), row.lastMessageAt(), row.messages(), row.compensations(), row.deadLetters(), row.stuck(), row.traceId(),
                traceUrl(row.traceId()));
    }

    private MessageView view(MessageRow row) {
        return new MessageView(row.id(), row.coordinates(), row.topic(), row.eventType(), row.answers(), row.eventId(), row.causationId(),
                row.sender(),
                row.outcome(), row.time(), row.attempt(), row.traceId(), traceUrl(row.traceId()), row.orderId(), row.key(),
                row.originalTopic(), row.consumerGroup(), row.error(), row.replayed(), row.headers(), row.payload());
    }

    private String traceUrl(String traceId) {
        return traceId == null ? null : properties.zipkinTraceUrl().replace("{traceId}", traceId);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static <E extends Enum<E>> String oneOf(String parameter, String value, E[] values) {
        String given = blankToNull(value);
        if (given == null) {
            return null;
        }
        return Arrays.stream(values).map(Enum::name).filter(name -> name.equalsIgnoreCase(given)).findFirst()
                .orElseThrow(() -> invalid(parameter, "must be one of " + Arrays.toString(values) + ", was " + given));
    }

    private static Duration nonNegative(String parameter, Duration value) {
        if (value != null && value.isNegative()) {
            throw invalid(parameter, "must not be negative, was " + value);
        }
        return value;
    }

    private static ProblemException invalid(String parameter, String message) {
        return ProblemTypes.INVALID_PARAMETER.exception(parameter + " " + message).with("parameter", parameter);
    }
}
