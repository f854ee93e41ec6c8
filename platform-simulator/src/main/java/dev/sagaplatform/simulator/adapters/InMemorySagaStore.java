package dev.sagaplatform.simulator.adapters;

import dev.sagaplatform.orchestrator.saga.SagaStore;
import dev.sagaplatform.orchestrator.saga.domain.HistoryEntry;
import dev.sagaplatform.orchestrator.saga.domain.OrderSagaData;
import dev.sagaplatform.orchestrator.saga.domain.Saga;
import dev.sagaplatform.orchestrator.saga.domain.SagaState;
import dev.sagaplatform.orchestrator.saga.domain.StepOutcome;
import dev.sagaplatform.orchestrator.saga.persistence.StoredSaga;
import dev.sagaplatform.simulator.store.Database;
import dev.sagaplatform.simulator.store.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The simulator's adapter of {@link SagaStore}: the saga_instance and saga_step_history tables of the orchestrator's database. */
public final class InMemorySagaStore implements SagaStore {

    private final Table<UUID, StoredSaga> sagas;
    private final Table<UUID, UUID> sagaByOrder;
    private final Table<UUID, List<HistoryEntry>> history;

    public InMemorySagaStore(Database database) {
        this.sagas = database.table("saga_instance");
        this.sagaByOrder = database.table("saga_instance_order_id_key");
        this.history = database.table("saga_step_history");
    }

    @Override
    public boolean insert(Saga<OrderSagaData> saga, Instant now) {
        if (!sagaByOrder.insert(saga.orderId(), saga.id())) {
            return false; // on conflict (order_id) do nothing
        }
        sagas.save(saga.id(), new StoredSaga(saga, 0, now, now));
        return true;
    }

    @Override
    public void update(Saga<OrderSagaData> saga, long expectedVersion, Instant now) {
        StoredSaga stored = sagas.find(saga.id()).orElseThrow(() -> new IllegalStateException("no saga " + saga.id()));
        if (stored.version() != expectedVersion) {
            throw new IllegalStateException("saga " + saga.id() + " changed since version " + expectedVersion + " was read");
        }
        sagas.save(saga.id(), new StoredSaga(saga, expectedVersion + 1, stored.createdAt(), now));
    }

    @Override
    public Optional<StoredSaga> find(UUID sagaId) {
        return sagas.find(sagaId);
    }

    @Override
    public Optional<StoredSaga> claimDue(Instant now) {
        return sagas.scan(s -> (s.saga().state() == SagaState.STARTED || s.saga().state() == SagaState.COMPENSATING)
                        && s.saga().dueAt() != null && !s.saga().dueAt().isAfter(now))
                .stream()
                .min(Comparator.comparing((StoredSaga s) -> s.saga().dueAt()));
    }

    @Override
    public void appendHistory(UUID sagaId, List<HistoryEntry> entries) {
        List<HistoryEntry> lines = new ArrayList<>(history.find(sagaId).orElse(List.of()));
        lines.addAll(entries);
        history.save(sagaId, List.copyOf(lines));
    }

    @Override
    public Optional<Instant> lastSent(UUID sagaId, UUID commandId) {
        return history.find(sagaId).orElse(List.of()).stream()
                .filter(e -> commandId.equals(e.commandId())
                        && (e.outcome() == StepOutcome.SENT || e.outcome() == StepOutcome.RETRIED))
                .map(HistoryEntry::at)
                .max(Comparator.naturalOrder());
    }

    @Override
    public Map<SagaState, Long> countLiveByState(Collection<SagaState> states) {
        Map<SagaState, Long> counts = new LinkedHashMap<>();
        sagas.scan(s -> states.contains(s.saga().state())).forEach(s -> counts.merge(s.saga().state(), 1L, Long::sum));
        return counts;
    }

    /** Every saga as committed, for the checks. */
    public Iterable<StoredSaga> committed() {
        return sagas.committedRows();
    }
}
