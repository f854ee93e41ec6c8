package dev.sagaplatform.orchestrator.saga.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** One line of a saga's step history: what happened to which command, and when. */
public record HistoryEntry(Instant at, String step, String commandType, UUID commandId, StepOutcome outcome,
                           String detail) {

    public HistoryEntry {
        Objects.requireNonNull(at, "at must not be null");
        Objects.requireNonNull(step, "step must not be null");
        Objects.requireNonNull(commandType, "commandType must not be null");
        Objects.requireNonNull(commandId, "commandId must not be null");
        Objects.requireNonNull(outcome, "outcome must not be null");
    }
}
