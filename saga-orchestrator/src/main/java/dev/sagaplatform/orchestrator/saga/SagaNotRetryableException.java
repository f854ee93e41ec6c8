package dev.sagaplatform.orchestrator.saga;

/** An operator asked to retry a saga that is not parked, or that changed while the retry was decided. */
public class SagaNotRetryableException extends RuntimeException {

    public SagaNotRetryableException(String message) {
        super(message);
    }
}
