package dev.sagaplatform.orchestrator.saga.domain;

import dev.sagaplatform.contracts.saga.SagaReply;
import java.util.Objects;
import java.util.UUID;

/** Everything that can happen to a saga; the state machine's only input besides the saga and the time. */
public sealed interface SagaEvent<D extends SagaData>
        permits SagaEvent.Started, SagaEvent.ReplyReceived, SagaEvent.DeadlinePassed, SagaEvent.RetryRequested,
        SagaEvent.TransitionFailed {

    static <D extends SagaData> SagaEvent<D> started(UUID sagaId, D data) {
        return new Started<>(sagaId, data);
    }

    static <D extends SagaData> SagaEvent<D> reply(SagaReply reply) {
        return new ReplyReceived<>(reply);
    }

    static <D extends SagaData> SagaEvent<D> deadlinePassed() {
        return new DeadlinePassed<>(ParticipantBacklog.unknown());
    }

    static <D extends SagaData> SagaEvent<D> deadlinePassed(ParticipantBacklog backlog) {
        return new DeadlinePassed<>(backlog);
    }

    static <D extends SagaData> SagaEvent<D> retryRequested() {
        return new RetryRequested<>();
    }

    static <D extends SagaData> SagaEvent<D> transitionFailed(String error) {
        return new TransitionFailed<>(error);
    }

    /** The order was created in the orchestrated flow. */
    record Started<D extends SagaData>(UUID sagaId, D data) implements SagaEvent<D> {
        public Started {
            Objects.requireNonNull(sagaId, "sagaId must not be null");
            Objects.requireNonNull(data, "data must not be null");
        }
    }

    /** A participant answered some command of this saga, maybe not the pending one. */
    record ReplyReceived<D extends SagaData>(SagaReply reply) implements SagaEvent<D> {
        public ReplyReceived {
            Objects.requireNonNull(reply, "reply must not be null");
        }
    }

    /**
     * The clock reached the saga's deadline or retry time (the poller found it due), with what was seen
     * of the pending command's participant at that moment.
     */
    record DeadlinePassed<D extends SagaData>(ParticipantBacklog backlog) implements SagaEvent<D> {
        public DeadlinePassed {
            Objects.requireNonNull(backlog, "backlog must not be null");
        }
    }

    /** Moving the saga on kept failing with {@code error} (a bug or bad data, not a participant's answer). */
    record TransitionFailed<D extends SagaData>(String error) implements SagaEvent<D> {
        public TransitionFailed {
            Objects.requireNonNull(error, "error must not be null");
        }
    }

    /** An operator asked to resume a parked saga. */
    record RetryRequested<D extends SagaData>() implements SagaEvent<D> {
    }
}
