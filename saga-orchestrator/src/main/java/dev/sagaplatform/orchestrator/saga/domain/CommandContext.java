package dev.sagaplatform.orchestrator.saga.domain;

import dev.sagaplatform.contracts.RejectionReason;
import java.util.UUID;

/**
 * Everything a step needs to build its command.
 *
 * @param reason       why the saga is compensating; {@code null} while it is going forward
 * @param reasonDetail human-readable detail of {@code reason}, may be null
 */
public record CommandContext<D extends SagaData>(UUID commandId, UUID sagaId, D data,
                                                 RejectionReason reason, String reasonDetail) {
}
