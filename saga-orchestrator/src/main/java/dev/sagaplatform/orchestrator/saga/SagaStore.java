package dev.sagaplatform.orchestrator.saga;

import dev.sagaplatform.orchestrator.saga.domain.HistoryEntry;
import dev.sagaplatform.orchestrator.saga.domain.OrderSagaData;
import dev.sagaplatform.orchestrator.saga.domain.Saga;
import dev.sagaplatform.orchestrator.saga.domain.SagaState;
import dev.sagaplatform.orchestrator.saga.persistence.StoredSaga;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where sagas and their step history are kept, as {@link SagaOrchestrator} needs them. Every method runs in the
 * caller's transaction. {@link dev.sagaplatform.orchestrator.saga.persistence.SagaRepository} is the production
 * adapter (PostgreSQL); the deterministic simulator has an in-memory one, so both run the same orchestrator.
 */
public interface SagaStore {

    /** @return false if the order already has a saga (starting one is idempotent per order) */
    boolean insert(Saga<OrderSagaData> saga, Instant now);

    /**
     * Writes the saga's new state and increments its version, if its version is still {@code expectedVersion}.
     *
     * @throws RuntimeException (the production adapter: Spring's {@code OptimisticLockingFailureException}) when
     *                          another writer won; the caller's transaction then rolls back
     */
    void update(Saga<OrderSagaData> saga, long expectedVersion, Instant now);

    Optional<StoredSaga> find(UUID sagaId);

    /**
     * The STARTED or COMPENSATING saga whose {@link Saga#dueAt()} is at or before {@code now} and earliest, locked
     * until the caller's transaction ends; a saga locked by another transaction is skipped, not waited for.
     */
    Optional<StoredSaga> claimDue(Instant now);

    /** Appends in the given order; {@link #lastSent} and the history views read them back in that order. */
    void appendHistory(UUID sagaId, List<HistoryEntry> entries);

    /** The latest time the command was SENT or RETRIED according to the saga's history, if it has such an entry. */
    Optional<Instant> lastSent(UUID sagaId, UUID commandId);

    /** How many sagas are in each of the given states; a state with none may be absent. */
    Map<SagaState, Long> countLiveByState(Collection<SagaState> states);
}
