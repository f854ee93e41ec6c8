package dev.sagaplatform.orchestrator.saga.domain;

import dev.sagaplatform.contracts.RejectionReason;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One saga instance, everything the state machine needs to decide its next move. Persisting it and
 * feeding it back in is all an adapter (or a simulator) has to do.
 *
 * @param step               the current step: the one whose command is pending, or the last one acted on
 * @param action             whether the pending command moves {@code step} forward or compensates it
 * @param pendingCommandId   the only command id a reply is accepted for; null when terminal
 * @param pendingCommandType catalog name of the pending command
 * @param deadline           a reply to the pending command is expected by then; null when not waiting for one
 * @param nextRetryAt        the pending command is re-sent then; null unless backing off
 * @param attempts           sends of the pending command since it became pending (or since an operator retry)
 * @param reason             why the saga compensates; null while going forward
 */
public record Saga<D extends SagaData>(UUID id, D data, SagaState state, String step, StepAction action,
                                       UUID pendingCommandId, String pendingCommandType,
                                       Instant deadline, Instant nextRetryAt, int attempts,
                                       RejectionReason reason, String reasonDetail) {

    public Saga {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(data, "data must not be null");
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(step, "step must not be null");
        Objects.requireNonNull(action, "action must not be null");
        if (!state.isTerminal() && (pendingCommandId == null || pendingCommandType == null)) {
            throw new IllegalArgumentException("a " + state + " saga must have a pending command");
        }
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
        }
    }

    public UUID orderId() {
        return data.orderId();
    }

    /** The moment the deadline poller has to act on this saga, if any. */
    public Instant dueAt() {
        return nextRetryAt != null ? nextRetryAt : deadline;
    }

    Saga<D> withState(SagaState newState) {
        return new Saga<>(id, data, newState, step, action, pendingCommandId, pendingCommandType,
                deadline, nextRetryAt, attempts, reason, reasonDetail);
    }

    Saga<D> compensatingBecause(RejectionReason newReason, String newDetail) {
        return new Saga<>(id, data, SagaState.COMPENSATING, step, action, pendingCommandId, pendingCommandType,
                deadline, nextRetryAt, attempts, newReason, newDetail);
    }

    Saga<D> pending(SagaState newState, String newStep, StepAction newAction, UUID commandId, String commandType,
                    Instant newDeadline, int newAttempts) {
        return new Saga<>(id, data, newState, newStep, newAction, commandId, commandType,
                newDeadline, null, newAttempts, reason, reasonDetail);
    }

    Saga<D> waitingUntil(Instant newDeadline) {
        return new Saga<>(id, data, state, step, action, pendingCommandId, pendingCommandType,
                newDeadline, null, attempts, reason, reasonDetail);
    }

    Saga<D> retryAt(Instant retryAt) {
        return new Saga<>(id, data, state, step, action, pendingCommandId, pendingCommandType,
                null, retryAt, attempts, reason, reasonDetail);
    }

    Saga<D> parked() {
        return new Saga<>(id, data, SagaState.STUCK, step, action, pendingCommandId, pendingCommandType,
                null, null, attempts, reason, reasonDetail);
    }

    Saga<D> finished(SagaState terminal) {
        return new Saga<>(id, data, terminal, step, action, null, null, null, null, attempts, reason, reasonDetail);
    }
}
