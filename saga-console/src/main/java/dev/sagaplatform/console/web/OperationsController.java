package dev.sagaplatform.console.web;

import dev.sagaplatform.console.ConsoleProperties;
import dev.sagaplatform.console.operations.PlatformServices;
import dev.sagaplatform.console.operations.PlatformServices.Answer;
import dev.sagaplatform.console.operations.ResilienceSnapshot;
import dev.sagaplatform.console.timeline.persistence.TimelineStore;
import dev.sagaplatform.console.timeline.persistence.TimelineStore.MessageRow;
import dev.sagaplatform.web.problem.ProblemTypes;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The live state the console reads from the services (stuck sagas, breakers, bulkheads, relay lag) and the operator
 * actions it forwards to the services' own endpoints: saga retry ({@code POST /sagas/{id}/retry} on saga-orchestrator)
 * and dead-letter replay ({@code POST /admin/dead-letters/replay} on the service whose consumer group gave up).
 */
@RestController
@RequestMapping(path = "/api", produces = MediaType.APPLICATION_JSON_VALUE)
class OperationsController {

    private static final Logger log = LoggerFactory.getLogger(OperationsController.class);
    private static final Pattern RECORD = Pattern.compile("([A-Za-z0-9._-]+\\.DLT):(\\d{1,10})@(\\d{1,19})");

    private final PlatformServices services;
    private final TimelineStore store;

    OperationsController(PlatformServices services, TimelineStore store) {
        this.services = services;
        this.store = store;
    }

    /** saga-orchestrator's parked sagas ({@code GET /sagas?state=STUCK}). */
    @GetMapping("/sagas/stuck")
    @ApiResponse(responseCode = "200", description = "saga-orchestrator's page of STUCK sagas")
    @ApiResponse(responseCode = "502", description = "operator-action-failed: saga-orchestrator refused or did not answer")
    JsonNode stuckSagas() {
        return answerOrFail(services.getJson(ConsoleProperties.ORCHESTRATOR, "/sagas?state=STUCK&size=100"), "list stuck sagas");
    }

    @PostMapping("/sagas/{sagaId}/retry")
    @ApiResponse(responseCode = "200", description = "saga-orchestrator's answer to the retry")
    @ApiResponse(responseCode = "502", description = "operator-action-failed: saga-orchestrator refused (unknown or not parked saga) or did not answer")
    JsonNode retry(@PathVariable UUID sagaId, Principal admin) {
        JsonNode answer = answerOrFail(services.postAsAdmin(ConsoleProperties.ORCHESTRATOR, "/sagas/" + sagaId + "/retry", null),
                "retry saga " + sagaId);
        log.info("{} retried saga {} from the console", admin.getName(), sagaId);
        return answer;
    }

    /**
     * {@code {"record":"order.events.DLT:0@12"}}: replays one dead letter through the owning service's
     * {@code /admin/dead-letters/replay}; the owner is the service whose consumer group gave up on it.
     */
    @PostMapping("/dead-letters/replay")
    @ApiResponse(responseCode = "200", description = "the owning service and its answer")
    @ApiResponse(responseCode = "404", description = "unknown-dead-letter: the console has seen no such dead letter")
    @ApiResponse(responseCode = "502", description = "operator-action-failed: the owning service refused the replay or did not answer")
    Map<String, Object> replay(@RequestBody JsonNode body, Principal admin) {
        JsonNode record = body == null ? null : body.get("record");
        if (record == null || !record.isString()) {
            throw ProblemTypes.INVALID_FIELD.exception("the body names one dead letter: {\"record\":\"order.events.DLT:0@12\"}")
                    .with("field", "record");
        }
        Matcher coordinates = RECORD.matcher(record.stringValue());
        if (!coordinates.matches()) {
            throw ProblemTypes.INVALID_FIELD.exception("record is written TOPIC:PARTITION@OFFSET, e.g. order.events.DLT:0@12")
                    .with("field", "record");
        }
        MessageRow deadLetter = store.deadLetter(coordinates.group(1), Integer.parseInt(coordinates.group(2)),
                        Long.parseLong(coordinates.group(3)))
                .orElseThrow(() -> ConsoleProblems.UNKNOWN_DEAD_LETTER.exception("the console has seen no dead letter " + record.stringValue()));
        String owner = owner(deadLetter.consumerGroup());
        JsonNode answer = answerOrFail(services.postAsAdmin(owner, "/admin/dead-letters/replay",
                Map.of("records", List.of(deadLetter.coordinates()))), "replay " + deadLetter.coordinates() + " on " + owner);
        log.info("{} replayed dead letter {} through {} from the console", admin.getName(), deadLetter.coordinates(), owner);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("service", owner);
        result.put("answer", answer);
        return result;
    }

    /** Breakers and bulkheads of every service, and the relay's lag per source. */
    @GetMapping("/resilience")
    Map<String, Object> resilience() {
        List<ResilienceSnapshot> snapshots = services.services().keySet().stream()
                .map(service -> services.prometheus(service).map(text -> ResilienceSnapshot.parse(service, text))
                        .orElseGet(() -> ResilienceSnapshot.unreachable(service)))
                .toList();
        return Map.of("services", snapshots);
    }

    /** A consumer group is the service's name, with a suffix where tests run several contexts side by side. */
    private String owner(String consumerGroup) {
        if (consumerGroup == null) {
            throw ConsoleProblems.ACTION_FAILED.exception("the dead letter does not name the consumer group that gave up on it;"
                    + " replay it with ./platform dead-letters replay");
        }
        return services.services().keySet().stream()
                .filter(service -> consumerGroup.equals(service) || consumerGroup.startsWith(service + "-"))
                .findFirst()
                .orElseThrow(() -> ConsoleProblems.ACTION_FAILED.exception("no configured service owns consumer group " + consumerGroup));
    }

    private static JsonNode answerOrFail(Answer answer, String action) {
        if (answer.ok()) {
            return answer.body();
        }
        throw ConsoleProblems.ACTION_FAILED.exception("could not " + action + ": "
                + (answer.body() != null && answer.body().has("detail") ? answer.body().get("detail").asString() : answer.error()))
                .with("status", answer.status());
    }
}
