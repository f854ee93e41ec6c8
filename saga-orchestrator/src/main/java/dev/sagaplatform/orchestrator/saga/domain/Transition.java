package dev.sagaplatform.orchestrator.saga.domain;

import dev.sagaplatform.contracts.saga.SagaCommand;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one event: the saga's new state, the commands to send and the history lines to
 * record, all to be committed together. Deadlines are part of the new state ({@link Saga#dueAt()}).
 *
 * @param before  the saga before the event; null when the event started it
 * @param refusal why the event was refused (e.g. a retry of a saga that is not parked); null when accepted
 */
public record Transition<D extends SagaData>(Saga<D> before, Saga<D> after, List<SagaCommand> commands,
                                             List<HistoryEntry> history, String refusal) {

    public Transition {
        Objects.requireNonNull(after, "after must not be null");
        commands = List.copyOf(commands);
        history = List.copyOf(history);
    }

    /** Whether the saga row must be written (history lines alone do not change the saga). */
    public boolean changed() {
        return !after.equals(before);
    }

    public boolean refused() {
        return refusal != null;
    }

    public boolean reachedState(SagaState state) {
        return after.state() == state && (before == null || before.state() != state);
    }
}
