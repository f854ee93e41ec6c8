package dev.sagaplatform.orchestrator.saga;

import java.util.UUID;

/** Moving a due saga on threw; carries which saga, so that the poller can count and finally park it. */
public class SagaTransitionFailedException extends RuntimeException {

    private final UUID sagaId;

    SagaTransitionFailedException(UUID sagaId, RuntimeException cause) {
        super("saga " + sagaId + ": " + cause, cause);
        this.sagaId = sagaId;
    }

    public UUID sagaId() {
        return sagaId;
    }
}
