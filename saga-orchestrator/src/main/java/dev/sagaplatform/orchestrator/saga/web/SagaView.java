package dev.sagaplatform.orchestrator.saga.web;

import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.orchestrator.saga.domain.HistoryEntry;
import dev.sagaplatform.orchestrator.saga.domain.OrderSagaData;
import dev.sagaplatform.orchestrator.saga.domain.Saga;
import dev.sagaplatform.orchestrator.saga.domain.SagaState;
import dev.sagaplatform.orchestrator.saga.domain.StepOutcome;
import dev.sagaplatform.orchestrator.saga.persistence.StoredSaga;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A saga as the operator API shows it, the same in {@code GET /sagas/{id}} and in list pages.
 *
 * @param pendingCommand what the saga waits for; null once it is over
 * @param stepDeadline   when the pending command times out, if a reply is awaited
 * @param nextRetryAt    when the pending command is sent again, if backing off
 */
record SagaView(UUID sagaId, UUID orderId, SagaState state, String currentStep, PendingCommand pendingCommand,
                int attempts, Instant stepDeadline, Instant nextRetryAt, RejectionReason reason, String reasonDetail,
                String customerId, BigDecimal total, List<OrderLine> items, Instant createdAt, Instant updatedAt,
                List<Step> history) {

    record PendingCommand(String type, UUID commandId, String action) {
    }

    record Step(Instant at, String step, String commandType, UUID commandId, StepOutcome outcome, String detail) {
    }

    static SagaView of(StoredSaga stored, List<HistoryEntry> history) {
        Saga<OrderSagaData> saga = stored.saga();
        PendingCommand pending = saga.pendingCommandId() == null ? null
                : new PendingCommand(saga.pendingCommandType(), saga.pendingCommandId(), saga.action().name());
        return new SagaView(saga.id(), saga.orderId(), saga.state(), saga.step(), pending, saga.attempts(),
                saga.deadline(), saga.nextRetryAt(), saga.reason(), saga.reasonDetail(), saga.data().customerId(),
                saga.data().total(), saga.data().items(), stored.createdAt(), stored.updatedAt(),
                history.stream().map(e -> new Step(e.at(), e.step(), e.commandType(), e.commandId(), e.outcome(),
                        e.detail())).toList());
    }
}
