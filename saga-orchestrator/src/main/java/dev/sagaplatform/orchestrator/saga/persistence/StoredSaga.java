package dev.sagaplatform.orchestrator.saga.persistence;

import dev.sagaplatform.orchestrator.saga.domain.OrderSagaData;
import dev.sagaplatform.orchestrator.saga.domain.Saga;
import java.time.Instant;

/** A saga as read from its row: the domain state plus what only the database keeps. */
public record StoredSaga(Saga<OrderSagaData> saga, long version, Instant createdAt, Instant updatedAt) {
}
