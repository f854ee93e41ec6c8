package dev.sagaplatform.messaging.deadletter.admin;

import dev.sagaplatform.contracts.Topics;
import dev.sagaplatform.messaging.MessagingProperties;
import dev.sagaplatform.messaging.consumer.MessageSubscription;
import dev.sagaplatform.messaging.deadletter.DeadLetter;
import dev.sagaplatform.messaging.deadletter.DeadLetterStore;
import dev.sagaplatform.messaging.deadletter.DeadLetterStore.DeadLetterStoreException;
import dev.sagaplatform.web.problem.ProblemException;
import dev.sagaplatform.web.problem.ProblemType;
import dev.sagaplatform.web.problem.ProblemTypes;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /admin/dead-letters}: this service's dead letters, and replaying them once their cause is fixed. "This
 * service's" are the records on the dead-letter topics of the topics it subscribes to that one of its consumer groups
 * gave up on; another service's dead letters on the same topic are that service's to replay. Admin only: platform-web
 * makes every {@code /admin/**} path need the platform admin's credentials. Its errors are problems of platform-web's
 * catalogue, answered by the service's {@code PlatformProblemHandler} like any other.
 */
@RestController
@RequestMapping("/admin/dead-letters")
class DeadLetterAdminController {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterAdminController.class);
    static final ProblemType UNKNOWN_DEAD_LETTER = ProblemType.of("unknown-dead-letter", HttpStatus.NOT_FOUND, "Unknown dead letter");
    static final ProblemType KAFKA_UNAVAILABLE = ProblemType.of("kafka-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Kafka did not answer");
    private static final Set<String> REPLAY_FIELDS = Set.of("records", "all");
    private static final String REPLAY_EXAMPLE = "{\"records\":[\"order.events.DLT:0@12\"]} or {\"all\":true}";

    private final DeadLetterStore store;
    /** The subscriptions' names, as the service calls its consumers. */
    private final Set<String> consumers;
    /** Their Kafka consumer groups, which the dead letters' headers name. */
    private final Set<String> groups;
    private final Set<String> deadLetterTopics;

    DeadLetterAdminController(DeadLetterStore store, List<MessageSubscription> subscriptions, MessagingProperties.Consumer consumer) {
        this.store = store;
        this.consumers = subscriptions.stream().map(MessageSubscription::consumer).collect(Collectors.toCollection(TreeSet::new));
        this.groups = subscriptions.stream().map(s -> consumer.groupId(s.consumer())).collect(Collectors.toCollection(TreeSet::new));
        this.deadLetterTopics = subscriptions.stream().flatMap(s -> s.topics().stream()).map(Topics::deadLetter)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Oldest first per dead-letter partition; {@code consumer} names this service's consumer groups (one in practice). */
    @ApiResponse(responseCode = "200", description = "this service's dead letters", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "503", description = "kafka-unavailable")
    @GetMapping
    DeadLettersView list() {
        return new DeadLettersView(String.join(", ", consumers), deadLetters().stream().map(DeadLetterView::of).toList());
    }

    /**
     * {@code {"records": ["TOPIC:PARTITION@OFFSET", ...]}} or {@code {"all": true}}. Every named record must be one of
     * this service's dead letters, else nothing is replayed. Safe to repeat: each consumer applies an event id once.
     */
    @ApiResponse(responseCode = "200", description = "each record put back on its original topic", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "a record that is not one of this service's dead letters; nothing replayed")
    @ApiResponse(responseCode = "503", description = "kafka-unavailable")
    @PostMapping("/replay")
    ReplayedView replay(@RequestBody JsonNode body, Principal admin) {
        ReplayRequest request = ReplayRequest.from(body);
        List<DeadLetter> ours = deadLetters();
        List<DeadLetter> chosen;
        if (request.all()) {
            chosen = ours;
        } else {
            Map<String, DeadLetter> byRecord = ours.stream().collect(Collectors.toMap(DeadLetter::coordinates, Function.identity()));
            List<String> unknown = request.records().stream().filter(record -> !byRecord.containsKey(record)).toList();
            if (!unknown.isEmpty()) {
                throw UNKNOWN_DEAD_LETTER.exception(String.join(", ", unknown) + (unknown.size() == 1 ? " is" : " are")
                        + " not among the dead letters of " + String.join(", ", consumers)
                        + " (GET /admin/dead-letters lists them); nothing was replayed").with("records", unknown);
            }
            chosen = request.records().stream().map(byRecord::get).toList();
        }
        List<DeadLetterStore.Replayed> replayed;
        try {
            replayed = store.replay(chosen);
        } catch (DeadLetterStoreException e) {
            throw kafkaUnavailable(e);
        }
        replayed.forEach(r -> log.info("{} replayed dead letter {} to {} (event {})", admin.getName(), r.record(), r.originalTopic(),
                r.eventId()));
        return new ReplayedView(replayed);
    }

    private List<DeadLetter> deadLetters() {
        try {
            return store.list(deadLetterTopics).stream().filter(d -> d.consumerGroup() != null && groups.contains(d.consumerGroup())).toList();
        } catch (DeadLetterStoreException e) {
            throw kafkaUnavailable(e);
        }
    }

    private static ProblemException kafkaUnavailable(DeadLetterStoreException e) {
        log.warn("dead-letter API: {}", e.getMessage());
        return KAFKA_UNAVAILABLE.exception(e.getMessage());
    }

    /** The replay request, checked field by field so that a misspelt field or a malformed record is refused, not ignored. */
    record ReplayRequest(List<String> records, boolean all) {

        static ReplayRequest from(JsonNode json) {
            if (json == null || !json.isObject()) {
                throw ProblemTypes.MALFORMED_JSON.exception("request body must be a JSON object: " + REPLAY_EXAMPLE);
            }
            for (String field : json.propertyNames()) {
                if (!REPLAY_FIELDS.contains(field)) {
                    throw ProblemTypes.UNKNOWN_FIELD.exception("unknown field '" + field + "'; known fields are records and all")
                            .with("field", field);
                }
            }
            JsonNode all = json.get("all");
            if (all != null && !all.isNull() && !all.isBoolean()) {
                throw ProblemTypes.INVALID_FIELD.exception("all must be true or false").with("field", "all");
            }
            List<String> records = records(json.get("records"));
            boolean replayAll = all != null && all.booleanValue();
            if (replayAll == !records.isEmpty()) {
                throw ProblemTypes.INVALID_FIELD.exception("name the dead letters to replay, or all of them, not both: " + REPLAY_EXAMPLE);
            }
            return new ReplayRequest(records, replayAll);
        }

        private static List<String> records(JsonNode value) {
            if (value == null || value.isNull()) {
                return List.of();
            }
            if (!value.isArray()) {
                throw ProblemTypes.INVALID_FIELD.exception("records must be an array of TOPIC:PARTITION@OFFSET strings")
                        .with("field", "records");
            }
            Set<String> records = new LinkedHashSet<>();
            List<String> malformed = new ArrayList<>();
            for (JsonNode record : value) {
                if (record.isString() && DeadLetter.isCoordinates(record.stringValue())) {
                    records.add(record.stringValue());
                } else {
                    malformed.add(record.isString() ? record.stringValue() : record.toString());
                }
            }
            if (!malformed.isEmpty()) {
                throw ProblemTypes.INVALID_FIELD.exception("records are written TOPIC:PARTITION@OFFSET as GET /admin/dead-letters"
                        + " shows them, e.g. order.events.DLT:0@12; not " + String.join(", ", malformed)).with("malformed", malformed);
            }
            return List.copyOf(records);
        }
    }

    record DeadLettersView(String consumer, List<DeadLetterView> deadLetters) {
    }

    record DeadLetterView(String record, String topic, String originalTopic, int partition, long offset, String timestamp, String key,
                          String eventType, String eventId, String consumerGroup, String error) {

        static DeadLetterView of(DeadLetter d) {
            return new DeadLetterView(d.coordinates(), d.topic(), d.originalTopic(), d.partition(), d.offset(), d.timestamp().toString(),
                    d.key(), d.eventType(), d.eventId(), d.consumerGroup(), d.error());
        }
    }

    record ReplayedView(List<DeadLetterStore.Replayed> replayed) {
    }
}
