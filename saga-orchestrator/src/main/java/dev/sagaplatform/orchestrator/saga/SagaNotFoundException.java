package dev.sagaplatform.orchestrator.saga;

import java.util.UUID;

public class SagaNotFoundException extends RuntimeException {

    public SagaNotFoundException(UUID sagaId) {
        super("no saga with id " + sagaId);
    }
}
